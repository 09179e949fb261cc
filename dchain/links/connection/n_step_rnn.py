"""Stacked RNN links over variable-length sequences: the shared base and the Elman variants
(``L.NStepRNNTanh``, ``L.NStepRNNReLU``, ``L.NStepBiRNNTanh``, ``L.NStepBiRNNReLU``)."""
import numpy

from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.array.permutate import permutate
from dchain.functions.connection.n_step_rnn import n_step_birnn, n_step_rnn


class NStepRNNBase(link.ChainList):
    """Parameters of ``n_layers`` x directions recurrent layers, one child link each.

    Child ``l * directions + d`` holds ``w0 .. w{n-1}`` and ``b0 .. b{n-1}``; the first half
    of the matrices act on the layer input (``in_size`` wide for layer 0, ``out_size *
    directions`` after), the second half on the hidden state.

    Args:
        n_layers (int): number of layers.
        in_size (int): input size.
        out_size (int): number of units.
        dropout (float): dropout ratio between layers.
        initialW: initializer of the matrices (default: LeCunNormal).
        initial_bias: initializer of the biases (default: 0).
    """

    n_weights = None
    use_bi_direction = False

    def __init__(self, n_layers, in_size, out_size, dropout, initialW=None, initial_bias=None,
                 **kwargs):
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        if n_layers < 1:
            raise ValueError('n_layers must be positive, got {}'.format(n_layers))
        direction = 2 if self.use_bi_direction else 1
        w_init = initializers._get_initializer(initialW)
        b_init = initializers._get_initializer(0 if initial_bias is None else initial_bias)
        children = []
        for layer in range(n_layers):
            for _ in range(direction):
                child = link.Link()
                with child.init_scope():
                    for j in range(self.n_weights):
                        if j >= self.n_weights // 2:
                            w_in = out_size
                        elif layer == 0:
                            w_in = in_size
                        else:
                            w_in = out_size * direction
                        setattr(child, 'w{}'.format(j), variable.Parameter(w_init,
                                                                           (out_size, w_in)))
                        setattr(child, 'b{}'.format(j), variable.Parameter(b_init, out_size))
                children.append(child)
        super().__init__(*children)
        self.n_layers = n_layers
        self.dropout = dropout
        self.out_size = out_size
        self.direction = direction

    @property
    def ws(self):
        """Per child, the list of its matrices ``[w0, w1, ...]``."""
        return [[getattr(c, 'w{}'.format(j)) for j in range(self.n_weights)] for c in self]

    @property
    def bs(self):
        """Per child, the list of its biases ``[b0, b1, ...]``."""
        return [[getattr(c, 'b{}'.format(j)) for j in range(self.n_weights)] for c in self]

    def init_hx(self, xs):
        """Zero initial states of shape ``(n_layers * directions, len(xs), out_size)``."""
        shape = (self.n_layers * self.direction, len(xs), self.out_size)
        dtype = xs[0].dtype
        return variable.Variable(self.xp.zeros(shape, dtype=dtype), requires_grad=False)

    def _run(self, hx, cx, xs):
        xs = list(xs)
        if hx is None:
            hx = self.init_hx(xs)
        lengths = [len(x) for x in xs]
        if all(a >= b for a, b in zip(lengths, lengths[1:])):
            return self.rnn(self.n_layers, self.dropout, hx, cx, self.ws, self.bs, xs)
        # The functions need sequences by decreasing length: sort the batch, run, and give the
        # results back in the caller's order (as Chainer's links do).
        order = numpy.argsort([-n for n in lengths], kind='stable')
        inverse = numpy.argsort(order)
        xs = [xs[i] for i in order]
        hx = permutate(hx, order, axis=1)
        if cx is not None:
            cx = permutate(cx, order, axis=1)
        outputs = self.rnn(self.n_layers, self.dropout, hx, cx, self.ws, self.bs, xs)
        states = [permutate(h, inverse, axis=1) for h in outputs[:-1]]
        ys = outputs[-1]
        return tuple(states) + ([ys[i] for i in inverse],)

    def printable_specs(self):
        yield 'n_layers', self.n_layers
        yield 'out_size', self.out_size
        yield 'dropout', self.dropout


class _NStepElman(NStepRNNBase):
    n_weights = 2
    activation = None

    def rnn(self, n_layers, dropout, hx, cx, ws, bs, xs):
        fn = n_step_birnn if self.use_bi_direction else n_step_rnn
        hy, ys = fn(n_layers, dropout, hx, ws, bs, xs, activation=self.activation)
        return hy, ys

    def forward(self, hx, xs, **kwargs):
        """Run over the sequences ``xs`` (any order of lengths) from the states ``hx``
        (None: zeros); returns ``(hy, ys)`` in the order of ``xs``."""
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        return self._run(hx, None, xs)


class NStepRNNTanh(_NStepElman):
    """Stacked uni-directional Elman RNN with tanh (see ``F.n_step_rnn``)."""
    activation = 'tanh'


class NStepRNNReLU(_NStepElman):
    """Stacked uni-directional Elman RNN with ReLU (see ``F.n_step_rnn``)."""
    activation = 'relu'


class NStepBiRNNTanh(_NStepElman):
    """Stacked bi-directional Elman RNN with tanh (see ``F.n_step_birnn``)."""
    activation = 'tanh'
    use_bi_direction = True


class NStepBiRNNReLU(_NStepElman):
    """Stacked bi-directional Elman RNN with ReLU (see ``F.n_step_birnn``)."""
    activation = 'relu'
    use_bi_direction = True



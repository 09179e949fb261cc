"""LSTM layers: stateful ``L.LSTM`` and ``L.StatelessLSTM``."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.activation.lstm import lstm
from dchain.links.connection.linear import Linear


class LSTMBase(link.Chain):
    """Parameters shared by the LSTM links: ``upward`` (input) and ``lateral`` (state).

    Gate pre-activations are interleaved along the output axis as ``F.lstm`` expects
    (channel ``4k + j`` is unit ``k`` of gate ``a, i, f, o``).
    """

    def __init__(self, in_size, out_size=None, lateral_init=None, upward_init=None,
                 bias_init=None, forget_bias_init=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.state_size = out_size
        self.lateral_init = lateral_init
        self.upward_init = upward_init
        self.bias_init = 0 if bias_init is None else bias_init
        self.forget_bias_init = 1 if forget_bias_init is None else forget_bias_init
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size, initialW=0)
            self.lateral = Linear(out_size, 4 * out_size, initialW=0, nobias=True)
        if in_size is not None:
            self._initialize_params()

    def _initialize_params(self):
        lateral_init = initializers._get_initializer(self.lateral_init)
        upward_init = initializers._get_initializer(self.upward_init)
        bias_init = initializers._get_initializer(self.bias_init)
        forget_bias_init = initializers._get_initializer(self.forget_bias_init)
        n = self.state_size
        # Each block of n rows is initialized as its own (n, in) matrix, so fan-based scales
        # match a single gate's weight.
        for start in range(0, 4 * n, n):
            lateral_init(self.lateral.W.array[start:start + n])
            upward_init(self.upward.W.array[start:start + n])
        gates = self.upward.b.array.reshape(n, 4)
        for k, init in enumerate((bias_init, bias_init, forget_bias_init, bias_init)):
            block = gates[:, k].copy()
            init(block)
            gates[:, k] = block

    def _lazy_init(self, x):
        if self.upward.W.array is None:
            in_size = x.size // x.shape[0]
            self.upward._initialize_params(in_size)
            self._initialize_params()


class StatelessLSTM(LSTMBase):
    """LSTM layer that takes its state as arguments: ``c, h = lstm(c, h, x)``.

    Args:
        in_size (int or None): input size (None: inferred from the first input).
        out_size (int): number of units. ``StatelessLSTM(n)`` means ``(None, n)``.
        lateral_init, upward_init: initializers of the state and input weights.
        bias_init: initializer of the biases of the gates a, i, o (default 0).
        forget_bias_init: initializer of the forget-gate bias (default 1).
    """

    def forward(self, c, h, x):
        """One step: returns the new ``(c, h)``; ``c`` and ``h`` may be None (zeros)."""
        self._lazy_init(x)
        lstm_in = self.upward(x)
        if h is not None:
            lstm_in += self.lateral(h)
        if c is None:
            xp = self.xp
            c = variable.Variable(xp.zeros((x.shape[0], self.state_size), dtype=x.dtype),
                                  requires_grad=False)
        return lstm(c, lstm_in)


class LSTM(LSTMBase):
    """Fully connected LSTM layer that keeps its cell state ``c`` and output ``h``.

    The batch may shrink from one step to the next (sequences sorted by decreasing length):
    the state rows beyond the new batch are carried over unchanged.

    Args: as :class:`StatelessLSTM`.

    Attributes:
        c, h (Variable or None): the cell state and the last output.
    """

    def __init__(self, in_size, out_size=None, lateral_init=None, upward_init=None,
                 bias_init=None, forget_bias_init=None):
        super().__init__(in_size, out_size, lateral_init, upward_init, bias_init,
                         forget_bias_init)
        self.reset_state()

    def to_device(self, device):
        super().to_device(device)
        if self.c is not None:
            self.c.to_device(device)
        if self.h is not None:
            self.h.to_device(device)
        return self

    def set_state(self, c, h):
        """Set the cell state and output (Variables or arrays of shape (B, out_size))."""
        if not isinstance(c, variable.Variable):
            c = variable.Variable(c, requires_grad=False)
        if not isinstance(h, variable.Variable):
            h = variable.Variable(h, requires_grad=False)
        self.c, self.h = c, h

    def reset_state(self):
        """Forget the state (the next step starts from zeros)."""
        self.c = self.h = None

    def forward(self, x):
        """One step on ``x`` of shape (B, in_size); returns ``h`` of shape (B, out_size)."""
        from dchain.functions.array.concat import concat
        from dchain.functions.array.split_axis import split_axis
        self._lazy_init(x)
        batch = x.shape[0]
        lstm_in = self.upward(x)
        h_rest = None
        if self.h is not None:
            h_size = self.h.shape[0]
            if h_size < batch:
                raise TypeError('the batch size of x ({}) must not exceed that of the previous '
                                'state h ({})'.format(batch, h_size))
            if batch == 0:
                h_rest = self.h
            elif h_size > batch:
                h_update, h_rest = split_axis(self.h, [batch], axis=0)
                lstm_in += self.lateral(h_update)
            else:
                lstm_in += self.lateral(self.h)
        if self.c is None:
            self.c = variable.Variable(
                self.xp.zeros((batch, self.state_size), dtype=x.dtype), requires_grad=False)
        self.c, y = lstm(self.c, lstm_in)
        if h_rest is None:
            self.h = y
        elif y.shape[0] == 0:
            self.h = h_rest
        else:
            self.h = concat((y, h_rest), axis=0)
        return y

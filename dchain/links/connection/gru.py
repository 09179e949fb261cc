"""Gated recurrent unit layers: ``L.StatelessGRU`` and the stateful ``L.StatefulGRU``
(also ``L.GRU``)."""
from dchain import link
from dchain import variable
from dchain.functions.activation.sigmoid import sigmoid
from dchain.functions.activation.tanh import tanh
from dchain.links.connection.linear import Linear


class GRUBase(link.Chain):
    """The six linear maps of a GRU: ``W_r, W_z, W`` on the input, ``U_r, U_z, U`` on the
    state.

    Args:
        in_size (int or None): input size (None: inferred from the first input).
        out_size (int): number of units; ``GRU(n)`` means ``GRU(None, n)``.
        init: initializer of the input weights ``W_r, W_z, W``.
        inner_init: initializer of the state weights ``U_r, U_z, U``.
        bias_init: initializer of the biases.
    """

    def __init__(self, in_size, out_size=None, init=None, inner_init=None, bias_init=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.state_size = out_size
        with self.init_scope():
            for name in ('W_r', 'W_z', 'W'):
                setattr(self, name, Linear(in_size, out_size, initialW=init,
                                           initial_bias=bias_init))
            for name in ('U_r', 'U_z', 'U'):
                setattr(self, name, Linear(out_size, out_size, initialW=inner_init,
                                           initial_bias=bias_init))


class StatelessGRU(GRUBase):
    """GRU step taking the state as an argument: ``h' = gru(h, x)``.

    ``r = sigmoid(W_r x + U_r h)``, ``z = sigmoid(W_z x + U_z h)``,
    ``h_bar = tanh(W x + U (r * h))`` and ``h' = z * h_bar + (1 - z) * h``.
    """

    def forward(self, h, x):
        """One step from state ``h`` (B, out_size) on input ``x`` (B, in_size)."""
        r = sigmoid(self.W_r(x) + self.U_r(h))
        z = sigmoid(self.W_z(x) + self.U_z(h))
        h_bar = tanh(self.W(x) + self.U(r * h))
        return h + z * (h_bar - h)


class StatefulGRU(GRUBase):
    """GRU layer that keeps its state ``h`` between calls (as :class:`StatelessGRU`; the
    first step after :meth:`reset_state` starts from a zero state).

    Args: ``in_size, out_size=None, init=None, inner_init=None, bias_init=0``.
    """

    def __init__(self, in_size, out_size=None, init=None, inner_init=None, bias_init=0):
        super().__init__(in_size, out_size, init, inner_init, bias_init)
        self.reset_state()

    def to_device(self, device):
        super().to_device(device)
        if self.h is not None:
            self.h.to_device(device)
        return self

    def set_state(self, h):
        """Set the state (a Variable or array of shape (B, out_size))."""
        if not isinstance(h, variable.Variable):
            h = variable.Variable(h, requires_grad=False)
        self.h = h

    def reset_state(self):
        """Forget the state."""
        self.h = None

    def forward(self, x):
        """One step on ``x`` (B, in_size); returns and keeps the new state."""
        z = self.W_z(x)
        h_bar = self.W(x)
        if self.h is not None:
            r = sigmoid(self.W_r(x) + self.U_r(self.h))
            z = z + self.U_z(self.h)
            h_bar = h_bar + self.U(r * self.h)
        z = sigmoid(z)
        h_bar = tanh(h_bar)
        if self.h is None:
            h_new = z * h_bar
        else:
            h_new = self.h + z * (h_bar - self.h)
        self.h = h_new
        return h_new


class GRU(StatefulGRU):
    """Stateful GRU layer (:class:`StatefulGRU`); ``gru(x)`` runs one step."""

    def forward(self, *args):
        if len(args) == 2:
            raise ValueError('GRU takes one argument (x) and keeps its state; for a GRU step '
                             'that takes the state as an argument (h, x) use StatelessGRU')
        if len(args) != 1:
            raise ValueError('GRU takes one argument (x), got {}'.format(len(args)))
        return super().forward(args[0])

"""Highway layer (``L.Highway``): a gated mix of a transformed input and the input itself."""
from dchain import link
from dchain.functions.activation.relu import relu
from dchain.functions.activation.sigmoid import sigmoid
from dchain.links.connection.linear import Linear


class Highway(link.Chain):
    """``y = act(W_h x + b_h) * t + x * (1 - t)`` with the gate ``t = sigmoid(W_t x + b_t)``.

    Args:
        in_out_size (int): input and output size.
        nobias (bool): no biases.
        activate (callable): activation of the plain path (default ``F.relu``).
        init_Wh, init_Wt: initializers of the plain and gate weights.
        init_bh: initializer of the plain bias (default 0).
        init_bt: initializer of the gate bias (default -1: start close to the identity).
    """

    def __init__(self, in_out_size, nobias=False, activate=relu, init_Wh=None, init_Wt=None,
                 init_bh=None, init_bt=-1):
        super().__init__()
        self.activate = activate
        with self.init_scope():
            self.plain = Linear(in_out_size, in_out_size, nobias=nobias, initialW=init_Wh,
                                initial_bias=init_bh)
            self.transform = Linear(in_out_size, in_out_size, nobias=nobias,
                                    initialW=init_Wt, initial_bias=init_bt)

    def forward(self, x):
        """Apply to ``x`` of shape (B, in_out_size)."""
        out_plain = self.activate(self.plain(x))
        gate = sigmoid(self.transform(x))
        return x + gate * (out_plain - x)

"""Swish layer with a learned ``beta`` (``L.Swish``)."""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.activation.swish import swish


class Swish(link.Link):
    """``x * sigmoid(beta * x)`` with learnable ``beta``.

    Args:
        beta_shape (tuple of int or None): shape of ``beta``, equal to
            ``x.shape[1:1 + len(beta_shape)]`` of the inputs. None defers the creation of
            ``beta`` to the first call, which gives it the shape ``x.shape[1:]``.
        beta_init (float, array or initializer): initial value of ``beta``.

    Attributes:
        beta (Parameter): the scaling parameter.
    """

    def __init__(self, beta_shape, beta_init=1.0):
        super().__init__()
        with self.init_scope():
            if beta_shape is None:
                self.beta = variable.Parameter(initializers._get_initializer(beta_init))
            else:
                self.beta = variable.Parameter(beta_init, beta_shape)

    def forward(self, x):
        """Apply Swish to ``x``; the first call sizes a deferred ``beta``."""
        if self.beta.array is None:
            self.beta.initialize(x.shape[1:])
        return swish(x, self.beta)

"""Parametric ReLU layer (``L.PReLU``)."""
from dchain import link
from dchain import variable
from dchain.functions.activation.prelu import prelu


class PReLU(link.Link):
    """Leaky ReLU whose negative slopes ``W`` are learned.

    Args:
        shape (tuple of int): shape of ``W``; it must equal ``x.shape[1:1 + len(shape)]``
            of the inputs. ``()`` (the default) learns one slope for everything.
        init (float, array or initializer): initial slopes.

    Attributes:
        W (Parameter): the slopes.
    """

    def __init__(self, shape=(), init=0.25):
        super().__init__()
        with self.init_scope():
            self.W = variable.Parameter(init, shape)

    def forward(self, x):
        """Apply PReLU to ``x`` with this link's slopes."""
        return prelu(x, self.W)

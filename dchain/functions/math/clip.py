"""Clip elements into an interval (``F.clip``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Clip(function_node.FunctionNode):
    """Limit ``x`` to ``[x_min, x_max]``; the gradient is zero outside the open interval.

    Either bound may be None (unbounded on that side) but not both.
    """

    def __init__(self, x_min, x_max):
        if x_min is None and x_max is None:
            raise ValueError('F.clip: x_min and x_max cannot both be None')
        if x_min is not None and x_max is not None and \
                numpy.isscalar(x_min) and numpy.isscalar(x_max) and x_min >= x_max:
            raise ValueError('F.clip: x_min ({}) must be less than x_max ({})'.format(
                x_min, x_max))
        self.x_min = x_min
        self.x_max = x_max

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(xp.clip(x, self.x_min, self.x_max), x.dtype),

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        inside = True
        if self.x_min is not None:
            inside = x > self.x_min
        if self.x_max is not None:
            inside = inside & (x < self.x_max)
        return grad_outputs[0] * inside.astype(x.dtype),


def clip(x, x_min, x_max):
    """Clip the elements of ``x`` into ``[x_min, x_max]``.

    Args:
        x (Variable or array): floating input.
        x_min (float or None): lower bound (None: no lower bound).
        x_max (float or None): upper bound (None: no upper bound).
    """
    return Clip(x_min, x_max).apply((x,))[0]

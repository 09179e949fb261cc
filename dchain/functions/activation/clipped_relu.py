"""Clipped rectified linear unit (``F.clipped_relu``, ``F.relu6``)."""
import numbers

from dchain import function_node
from dchain import utils
from dchain.functions.activation.relu import ReLUGrad
from dchain.utils import type_check


class ClippedReLU(function_node.FunctionNode):
    """``min(max(x, 0), z)``; the gradient passes only where ``0 < x < z``."""

    def __init__(self, z):
        if not isinstance(z, numbers.Real) or isinstance(z, bool):
            raise TypeError('clipped_relu: z must be a real number, got {!r}'.format(z))
        self.cap = float(z)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self._inside = (x > 0) & (x < self.cap)
        return utils.force_array(xp.clip(x, x.dtype.type(0), x.dtype.type(self.cap)),
                                 x.dtype),

    def backward(self, indexes, grad_outputs):
        return ReLUGrad(self._inside).apply(grad_outputs)


def clipped_relu(x, z=20.0):
    """Clipped rectifier ``min(max(0, x), z)``, elementwise.

    Args:
        x (Variable or array): floating input.
        z (float): the clipping value (upper bound).

    Returns:
        Variable: output of the same shape and dtype.
    """
    return ClippedReLU(z).apply((x,))[0]


def relu6(x):
    """ReLU capped at 6: ``min(max(0, x), 6)``."""
    return ClippedReLU(6.0).apply((x,))[0]

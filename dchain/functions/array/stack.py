"""Join variables along a new axis (``F.stack``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Stack(function_node.FunctionNode):
    """Stack same-shaped inputs along a new axis ``axis``."""

    def __init__(self, axis=0):
        if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
            raise TypeError('stack: axis must be an int, got {!r}'.format(axis))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        if self.axis >= 0:
            type_check.expect(self.axis <= x0.ndim)
        else:
            type_check.expect(-self.axis <= x0.ndim + 1)
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.shape == x0.shape)

    def forward(self, inputs):
        xp = utils.get_xp(*inputs)
        self._axis = self.axis % (inputs[0].ndim + 1)
        return xp.stack(inputs, axis=self._axis),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.separate import Separate
        return Separate(self._axis).apply(grad_outputs)


def stack(xs, axis=0):
    """Stack variables of one shape along a new axis.

    Args:
        xs (list or tuple of Variable or array): variables of the same shape and dtype.
        axis (int): position of the new axis in the result (``-1`` appends it).

    Returns:
        Variable: of shape ``xs[0].shape`` with ``len(xs)`` inserted at ``axis``.
    """
    return Stack(axis).apply(tuple(xs))[0]

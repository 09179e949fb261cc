"""Insert an axis of length one (``F.expand_dims``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


class ExpandDims(function_node.FunctionNode):
    """Insert a new axis of length 1 at ``axis``."""

    def __init__(self, axis):
        if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
            raise TypeError('expand_dims: axis must be an int, got {!r}'.format(axis))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        if self.axis >= 0:
            type_check.expect(in_types[0].ndim >= self.axis)
        else:
            type_check.expect(in_types[0].ndim >= -self.axis - 1)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        axis = self.axis % (x.ndim + 1)
        return x.reshape(x.shape[:axis] + (1,) + x.shape[axis:]),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import Reshape
        return Reshape(self._x_shape).apply(grad_outputs)


def expand_dims(x, axis):
    """Add an axis of length 1 to ``x`` at position ``axis`` of the result.

    Args:
        x (Variable or array): input.
        axis (int): where the new axis goes, in ``[-x.ndim - 1, x.ndim]``.
    """
    return ExpandDims(axis).apply((x,))[0]

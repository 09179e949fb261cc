"""Split a variable into its slices along an axis, removing that axis (``F.separate``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


class Separate(function_node.FunctionNode):
    """Return ``x[..., i, ...]`` (index on ``axis``) for every ``i``."""

    def __init__(self, axis):
        if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
            raise TypeError('separate: axis must be an int, got {!r}'.format(axis))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        if self.axis >= 0:
            type_check.expect(self.axis < in_types[0].ndim)
        else:
            type_check.expect(-self.axis <= in_types[0].ndim)

    def forward(self, inputs):
        x, = inputs
        axis = self.axis % x.ndim
        self._axis = axis
        self._shape = x.shape[:axis] + x.shape[axis + 1:]
        self._dtype = x.dtype
        lead = (slice(None),) * axis
        return tuple(x[lead + (i,)] for i in range(x.shape[axis]))

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.stack import Stack
        from dchain.variable import Variable
        xp = next(g.xp for g in grad_outputs if g is not None)
        gys = [g if g is not None else
               Variable(xp.zeros(self._shape, self._dtype), requires_grad=False)
               for g in grad_outputs]
        return Stack(self._axis).apply(gys)


def separate(x, axis=0):
    """Separate ``x`` into the slices along ``axis``.

    Args:
        x (Variable or array): the variable to separate.
        axis (int): the axis to take slices of; it is removed from each result.

    Returns:
        tuple of Variable: ``x.shape[axis]`` variables (the inverse of :func:`stack`).
    """
    return Separate(axis).apply((x,))

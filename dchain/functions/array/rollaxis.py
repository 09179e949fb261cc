"""Roll one axis of a variable to a given position (``F.rollaxis``)."""
from dchain import function_node
from dchain.functions.array import _axes
from dchain.utils import type_check


class Rollaxis(function_node.FunctionNode):
    """Move ``axis`` so that it lies before position ``start`` (as ``numpy.rollaxis``)."""

    def __init__(self, axis, start=0):
        self.axis = _axes.as_int(axis, 'rollaxis', 'axis')
        self.start = _axes.as_int(start, 'rollaxis', 'start')

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        _axes.expect_axis(type_check, x_type, self.axis)
        if self.start >= 0:
            type_check.expect(self.start <= x_type.ndim)
        else:
            type_check.expect(-self.start <= x_type.ndim)

    def forward(self, inputs):
        x, = inputs
        ndim = x.ndim
        axis = self.axis % ndim
        start = self.start + ndim if self.start < 0 else self.start
        if axis < start:
            start -= 1
        perm = [a for a in range(ndim) if a != axis]
        perm.insert(start, axis)
        self._perm = tuple(perm)
        return x.transpose(self._perm),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.transpose import Transpose
        inverse = tuple(sorted(range(len(self._perm)), key=self._perm.__getitem__))
        return Transpose(inverse).apply(grad_outputs)


def rollaxis(x, axis, start=0):
    """Roll ``axis`` of ``x`` backwards until it lies before position ``start``."""
    return Rollaxis(axis, start).apply((x,))[0]

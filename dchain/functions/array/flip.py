"""Reverse a variable along one axis (``F.flip``)."""
from dchain import function_node
from dchain.functions.array import _axes
from dchain.utils import type_check


class Flip(function_node.FunctionNode):
    """``x`` reversed along ``axis``."""

    def __init__(self, axis):
        self.axis = _axes.as_int(axis, 'flip', 'axis')

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        _axes.expect_axis(type_check, in_types[0], self.axis)

    def forward(self, inputs):
        x, = inputs
        index = [slice(None)] * x.ndim
        index[self.axis] = slice(None, None, -1)
        return x[tuple(index)],

    def backward(self, indexes, grad_outputs):
        return Flip(self.axis).apply(grad_outputs)


def flip(x, axis):
    """Reverse the order of the elements of ``x`` along ``axis``."""
    return Flip(axis).apply((x,))[0]

"""Reverse a variable up to down, i.e. along axis 0 (``F.flipud``)."""
from dchain import function_node
from dchain.utils import type_check


class FlipUD(function_node.FunctionNode):
    """``a[::-1]`` for an input of at least one dimension."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a',))
        type_check.expect(in_types.size() == 1, in_types[0].ndim >= 1)

    def forward(self, inputs):
        a, = inputs
        return a[::-1],

    def backward(self, indexes, grad_outputs):
        return FlipUD().apply(grad_outputs)


def flipud(a):
    """Flip ``a`` in the up/down direction (reverse axis 0; needs ``a.ndim >= 1``)."""
    return FlipUD().apply((a,))[0]

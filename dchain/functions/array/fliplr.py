"""Reverse a variable left to right, i.e. along axis 1 (``F.fliplr``)."""
from dchain import function_node
from dchain.utils import type_check


class FlipLR(function_node.FunctionNode):
    """``a[:, ::-1]`` for an input of at least two dimensions."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a',))
        type_check.expect(in_types.size() == 1, in_types[0].ndim >= 2)

    def forward(self, inputs):
        a, = inputs
        return a[:, ::-1],

    def backward(self, indexes, grad_outputs):
        return FlipLR().apply(grad_outputs)


def fliplr(a):
    """Flip ``a`` in the left/right direction (reverse axis 1; needs ``a.ndim >= 2``)."""
    return FlipLR().apply((a,))[0]

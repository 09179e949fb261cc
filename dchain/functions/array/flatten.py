"""Flatten a variable to one dimension (``F.flatten``)."""
from dchain import function_node
from dchain.utils import type_check


class Flatten(function_node.FunctionNode):
    """Reshape to ``(x.size,)``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        return x.reshape(x.size),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import Reshape
        return Reshape(self._x_shape).apply(grad_outputs)


def flatten(x):
    """Return ``x`` as a one-dimensional variable (C order)."""
    return Flatten().apply((x,))[0]

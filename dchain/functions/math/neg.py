"""Elementwise negation (``-x``)."""
from dchain import function_node
from dchain import utils


class Neg(function_node.FunctionNode):
    """``-x``."""

    @property
    def label(self):
        return '__neg__'

    def forward(self, inputs):
        return utils.force_array(-inputs[0]),

    def backward(self, indexes, grad_outputs):
        return Neg().apply(grad_outputs)


def neg(x):
    """Return ``-x``."""
    return Neg().apply((x,))[0]

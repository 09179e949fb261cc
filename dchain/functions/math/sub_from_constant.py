"""A constant minus a variable (``2 - x``)."""
from dchain import function_node
from dchain import utils


class SubFromConstant(function_node.FunctionNode):
    """``value - x`` for a scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '{} - _'.format(self.value)

    def forward(self, inputs):
        return utils.force_array(self.value - inputs[0]),

    def backward(self, indexes, grad_outputs):
        return -grad_outputs[0],


def sub_from_constant(x, value):
    """Return ``value - x`` for a scalar constant ``value``."""
    return SubFromConstant(value).apply((x,))[0]

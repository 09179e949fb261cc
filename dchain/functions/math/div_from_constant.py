"""A constant divided by a variable (``2 / x``)."""
from dchain import function_node
from dchain import utils


class DivFromConstant(function_node.FunctionNode):
    """``value / x`` for a scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '{} / _'.format(self.value)

    def forward(self, inputs):
        self.retain_inputs((0,))
        return utils.force_array(self.value / inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return -grad_outputs[0] * self.value / (x * x),


def div_from_constant(x, value):
    """Return ``value / x`` for a scalar constant ``value``."""
    return DivFromConstant(value).apply((x,))[0]

"""A variable times a constant scalar (``2 * x``)."""
from dchain import function_node
from dchain import utils


class MulConstant(function_node.FunctionNode):
    """``x * value`` for a scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ * {}'.format(self.value)

    def forward(self, inputs):
        return utils.force_array(inputs[0] * self.value),

    def backward(self, indexes, grad_outputs):
        return MulConstant(self.value).apply(grad_outputs)


def mul_constant(x, value):
    """Return ``x * value`` for a scalar constant ``value``."""
    return MulConstant(value).apply((x,))[0]

"""A variable plus a constant scalar (``x + 2``)."""
from dchain import function_node
from dchain import utils


class AddConstant(function_node.FunctionNode):
    """``x + value`` for a Python or numpy scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ + {}'.format(self.value)

    def forward(self, inputs):
        return utils.force_array(inputs[0] + self.value),

    def backward(self, indexes, grad_outputs):
        return grad_outputs


def add_constant(x, value):
    """Return ``x + value`` where ``value`` is a scalar constant (no gradient)."""
    return AddConstant(value).apply((x,))[0]

"""A constant raised to a variable power (``2 ** x``)."""
import math

from dchain import function_node
from dchain import utils


class PowConstVar(function_node.FunctionNode):
    """``value ** x`` for a positive scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '{} ** _'.format(self.value)

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        return utils.force_array(x.dtype.type(self.value) ** x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y * math.log(self.value),


def pow_const_var(x, value):
    """Return ``value ** x`` for a scalar constant base."""
    return PowConstVar(value).apply((x,))[0]

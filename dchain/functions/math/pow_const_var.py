"""A constant raised to a variable power (``2 ** x``)."""
import numpy

from dchain import function_node
from dchain import utils


def _log(value):
    """``log(value)`` as numpy gives it: -inf at 0 and nan below (math.log raises there)."""
    with numpy.errstate(divide='ignore', invalid='ignore'):
        return float(numpy.log(numpy.float64(value)))


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
        return grad_outputs[0] * y * _log(self.value),


def pow_const_var(x, value):
    """Return ``value ** x`` for a scalar constant base."""
    return PowConstVar(value).apply((x,))[0]

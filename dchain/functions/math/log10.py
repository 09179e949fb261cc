"""Elementwise base-10 logarithm (``F.log10``)."""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _util

_INV_LOG_BASE = 1.0 / math.log(10)


class Log10(function_node.FunctionNode):
    """``log10(x)``; backward ``gy / (x log 10)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.log10(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _INV_LOG_BASE / x,


def log10(x):
    """Elementwise base-10 logarithm of a floating variable."""
    return Log10().apply((x,))[0]

"""Elementwise base-2 logarithm (``F.log2``)."""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _util

_INV_LOG_BASE = 1.0 / math.log(2)


class Log2(function_node.FunctionNode):
    """``log2(x)``; backward ``gy / (x log 2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.log2(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _INV_LOG_BASE / x,


def log2(x):
    """Elementwise base-2 logarithm of a floating variable."""
    return Log2().apply((x,))[0]

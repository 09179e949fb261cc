"""Elementwise standard normal cumulative distribution function (``F.ndtr``).

``ndtr(x) = erfc(-x / sqrt(2)) / 2``, accurate in the lower tail too
(:mod:`dchain.functions.math._special`).
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_INV_SQRT_2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


class Ndtr(function_node.FunctionNode):
    """``ndtr(x)``; backward ``gy exp(-x^2 / 2) / sqrt(2 pi)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(0.5 * _special.erfc(xp, -_INV_SQRT_2 * x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(x * x * -0.5) * _INV_SQRT_2PI,


def ndtr(x):
    """Elementwise standard normal CDF ``P(Z <= x)``."""
    return Ndtr().apply((x,))[0]

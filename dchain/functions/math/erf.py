"""Elementwise error function (``F.erf``).

Computed without scipy by :mod:`dchain.functions.math._special` (series below |x| = 2, a
continued fraction above; relative error below 1e-13 in float64).
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Erf(function_node.FunctionNode):
    """``erf(x)``; backward ``gy 2/sqrt(pi) exp(-x^2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.erf(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(-x * x) * _TWO_OVER_SQRT_PI,


def erf(x):
    """Elementwise error function ``2/sqrt(pi) int_0^x exp(-t^2) dt``."""
    return Erf().apply((x,))[0]

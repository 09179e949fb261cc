"""Elementwise complementary error function ``1 - erf(x)`` (``F.erfc``).

Accurate also where ``erf(x)`` is close to 1 (large ``x``): the continued fraction of
:mod:`dchain.functions.math._special` gives it directly (relative error below 1e-13).
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Erfc(function_node.FunctionNode):
    """``erfc(x)``; backward ``-gy 2/sqrt(pi) exp(-x^2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.erfc(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(-x * x) * -_TWO_OVER_SQRT_PI,


def erfc(x):
    """Elementwise complementary error function ``1 - erf(x)``."""
    return Erfc().apply((x,))[0]

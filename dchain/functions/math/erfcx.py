"""Elementwise scaled complementary error function ``exp(x^2) erfc(x)`` (``F.erfcx``).

For large ``x`` the continued fraction of :mod:`dchain.functions.math._special` gives it
directly, without the overflow of ``exp(x^2)`` or the underflow of ``erfc(x)``.
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Erfcx(function_node.FunctionNode):
    """``erfcx(x)``; backward ``gy (2 x y - 2/sqrt(pi))``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.erfcx(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (x * y * 2 - _TWO_OVER_SQRT_PI),


def erfcx(x):
    """Elementwise scaled complementary error function ``exp(x^2) erfc(x)``."""
    return Erfcx().apply((x,))[0]

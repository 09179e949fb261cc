"""Elementwise log of the standard normal CDF (``F.log_ndtr``), finite far into both tails.

For ``x < -1``: ``log(erfcx(-x / sqrt(2)) / 2) - x^2 / 2`` (no underflow of the CDF); else
``log1p(-erfc(x / sqrt(2)) / 2)`` (no rounding of the CDF to 1).
"""
import math

import numpy

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_INV_SQRT_2 = 1 / math.sqrt(2)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


class LogNdtr(function_node.FunctionNode):
    """``log(ndtr(x))``; backward ``gy sqrt(2/pi) / erfcx(-x / sqrt(2))``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        x64 = xp.asarray(x, numpy.float64)
        lower = x64 < -1
        a = -_INV_SQRT_2 * x64
        with numpy.errstate(divide='ignore'):
            low = xp.log(0.5 * _special.erfcx(xp, xp.where(lower, a, 1.0))) - 0.5 * x64 * x64
            high = xp.log1p(-0.5 * _special.erfc(xp, xp.where(lower, 0.0, -a)))
        return utils.force_array(xp.where(lower, low, high), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.erfcx import erfcx
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _SQRT_2_OVER_PI / erfcx(x * -_INV_SQRT_2),


def log_ndtr(x):
    """Elementwise ``log P(Z <= x)`` for a standard normal ``Z``."""
    return LogNdtr().apply((x,))[0]

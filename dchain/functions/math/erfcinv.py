"""Elementwise inverse of the complementary error function (``F.erfcinv``).

Halley steps on erfc (:mod:`dchain.functions.math._special`, no scipy) keep it accurate for
tiny arguments, where ``erfinv(1 - y)`` would lose everything; relative error ~1e-14.
``erfcinv(0) = inf``, ``erfcinv(2) = -inf``, nan outside [0, 2].
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_HALF_SQRT_PI = math.sqrt(math.pi) / 2


class ErfcInv(function_node.FunctionNode):
    """``erfcinv(x)``; backward ``-gy sqrt(pi)/2 exp(y^2)`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.erfcinv(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y) * -_HALF_SQRT_PI,


def erfcinv(x):
    """Elementwise inverse of the complementary error function, defined on [0, 2]."""
    return ErfcInv().apply((x,))[0]

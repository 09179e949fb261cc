"""Elementwise inverse of the standard normal CDF (``F.ndtri``).

``ndtri(p) = -sqrt(2) erfcinv(2 p)``, accurate for tiny ``p``
(:mod:`dchain.functions.math._special`); ``ndtri(0) = -inf``, ``ndtri(1) = inf``.
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_SQRT_2 = math.sqrt(2)
_SQRT_2PI = math.sqrt(2 * math.pi)


class Ndtri(function_node.FunctionNode):
    """``ndtri(p)``; backward ``gy sqrt(2 pi) exp(y^2 / 2)`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        p, = inputs
        xp = utils.get_xp(p)
        # + 0.0 turns the -0.0 at p = 0.5 into 0.0.
        return utils.force_array(-_SQRT_2 * _special.erfcinv(xp, 2 * p) + 0.0, p.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y * 0.5) * _SQRT_2PI,


def ndtri(x):
    """Elementwise inverse of the standard normal CDF, defined on [0, 1]."""
    return Ndtri().apply((x,))[0]

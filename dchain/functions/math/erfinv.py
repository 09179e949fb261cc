"""Elementwise inverse error function (``F.erfinv``).

A closed-form first guess refined by Halley steps on erf (erfc in the tails), see
:mod:`dchain.functions.math._special`; relative error ~1e-14. ``erfinv(±1) = ±inf`` and
arguments outside [-1, 1] give nan.
"""
import math

from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util

_HALF_SQRT_PI = math.sqrt(math.pi) / 2


class ErfInv(function_node.FunctionNode):
    """``erfinv(x)``; backward ``gy sqrt(pi)/2 exp(y^2)`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.erfinv(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y) * _HALF_SQRT_PI,


def erfinv(x):
    """Elementwise inverse of the error function, defined on [-1, 1]."""
    return ErfInv().apply((x,))[0]

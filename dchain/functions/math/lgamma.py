"""Elementwise log of the absolute value of the gamma function (``F.lgamma``).

Recurrence, Stirling's series and reflection in :mod:`dchain.functions.math._special`
(no scipy); ``+inf`` at the poles 0, -1, -2, ...
"""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util


class LGamma(function_node.FunctionNode):
    """``log |Gamma(x)|``; backward ``gy digamma(x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.lgamma(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.digamma import digamma
        x, = self.get_retained_inputs()
        return grad_outputs[0] * digamma(x),


def lgamma(x):
    """Elementwise ``log |Gamma(x)|`` of a floating variable."""
    return LGamma().apply((x,))[0]

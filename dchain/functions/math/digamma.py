"""Elementwise digamma function, the derivative of lgamma (``F.digamma``).

Recurrence, asymptotic series and reflection in :mod:`dchain.functions.math._special`
(no scipy); nan at the poles 0, -1, -2, ...
"""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.functions.math import _util


class DiGamma(function_node.FunctionNode):
    """``digamma(x)``; backward ``gy polygamma(1, x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(_special.digamma(xp, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.polygamma import polygamma
        x, = self.get_retained_inputs()
        return grad_outputs[0] * polygamma(x.xp.ones(x.shape, 'int32'), x),


def digamma(x):
    """Elementwise digamma function ``d/dx log Gamma(x)``."""
    return DiGamma().apply((x,))[0]

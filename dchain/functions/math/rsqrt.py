"""Elementwise reciprocal square root (``F.rsqrt``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Rsqrt(function_node.FunctionNode):
    """``1 / sqrt(x)``; backward ``-gy y^3 / 2`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        y = utils.force_array(xp.sqrt(inputs[0]))
        # Invert the fresh sqrt array in place: one temporary instead of two.
        xp.reciprocal(y, out=y)
        return y,

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (y * y * y) * -0.5,


def rsqrt(x):
    """Elementwise ``1 / sqrt(x)`` of a floating variable."""
    return Rsqrt().apply((x,))[0]

"""Elementwise inverse sine (``F.arcsin``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Arcsin(function_node.FunctionNode):
    """``arcsin(x)``; backward ``gy / sqrt(1 - x^2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.arcsin(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.rsqrt import rsqrt
        x, = self.get_retained_inputs()
        return grad_outputs[0] * rsqrt(1 - x * x),


def arcsin(x):
    """Elementwise inverse sine of a floating variable."""
    return Arcsin().apply((x,))[0]

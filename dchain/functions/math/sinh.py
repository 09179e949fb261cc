"""Elementwise hyperbolic sine (``F.sinh``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Sinh(function_node.FunctionNode):
    """``sinh(x)``; backward ``gy cosh(x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.sinh(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.cosh import cosh
        x, = self.get_retained_inputs()
        return grad_outputs[0] * cosh(x),


def sinh(x):
    """Elementwise hyperbolic sine of a floating variable."""
    return Sinh().apply((x,))[0]

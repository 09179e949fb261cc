"""Elementwise tangent (``F.tan``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Tan(function_node.FunctionNode):
    """``tan(x)``; backward ``gy (1 + y^2)`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.tan(inputs[0])),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (y * y + 1),


def tan(x):
    """Elementwise tangent of a floating variable."""
    return Tan().apply((x,))[0]

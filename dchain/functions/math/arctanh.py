"""Elementwise inverse hyperbolic tangent (``F.arctanh``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Arctanh(function_node.FunctionNode):
    """``arctanh(x)``; backward ``gy / (1 - x^2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.arctanh(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (1 - x * x),


def arctanh(x):
    """Elementwise inverse hyperbolic tangent of a floating variable."""
    return Arctanh().apply((x,))[0]

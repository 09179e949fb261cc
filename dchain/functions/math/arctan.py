"""Elementwise inverse tangent (``F.arctan``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Arctan(function_node.FunctionNode):
    """``arctan(x)``; backward ``gy / (1 + x^2)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.arctan(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (x * x + 1),


def arctan(x):
    """Elementwise inverse tangent of a floating variable."""
    return Arctan().apply((x,))[0]

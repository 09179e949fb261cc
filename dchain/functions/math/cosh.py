"""Elementwise hyperbolic cosine (``F.cosh``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Cosh(function_node.FunctionNode):
    """``cosh(x)``; backward ``gy sinh(x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.cosh(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sinh import sinh
        x, = self.get_retained_inputs()
        return grad_outputs[0] * sinh(x),


def cosh(x):
    """Elementwise hyperbolic cosine of a floating variable."""
    return Cosh().apply((x,))[0]

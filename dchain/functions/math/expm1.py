"""Elementwise ``exp(x) - 1``, accurate near zero (``F.expm1``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Expm1(function_node.FunctionNode):
    """``exp(x) - 1``; backward ``gy (y + 1)`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.expm1(inputs[0])),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (y + 1),


def expm1(x):
    """Elementwise ``exp(x) - 1`` of a floating variable."""
    return Expm1().apply((x,))[0]

"""Elementwise square root (``F.sqrt``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Sqrt(function_node.FunctionNode):
    """``sqrt(x)``; backward ``gy / (2 sqrt(x))`` reuses the output."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.sqrt(inputs[0])),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] / (y * 2),


def sqrt(x):
    """Elementwise square root of a floating variable."""
    return Sqrt().apply((x,))[0]

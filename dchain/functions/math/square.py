"""Elementwise square (``F.square``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Square(function_node.FunctionNode):
    """``x * x``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return utils.force_array(x * x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * x * 2,


def square(x):
    """Elementwise square of a floating variable."""
    return Square().apply((x,))[0]

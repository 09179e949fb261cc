"""Elementwise ``log(1 + x)``, accurate near zero (``F.log1p``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Log1p(function_node.FunctionNode):
    """``log(1 + x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.log1p(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / (x + 1),


def log1p(x):
    """Elementwise ``log(1 + x)`` of a floating variable."""
    return Log1p().apply((x,))[0]

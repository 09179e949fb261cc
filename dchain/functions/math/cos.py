"""Elementwise cosine (``F.cos``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Cos(function_node.FunctionNode):
    """``cos(x)``; backward ``-gy sin(x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.cos(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sin import sin
        x, = self.get_retained_inputs()
        return -grad_outputs[0] * sin(x),


def cos(x):
    """Elementwise cosine of a floating variable."""
    return Cos().apply((x,))[0]

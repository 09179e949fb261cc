"""Elementwise sine (``F.sin``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Sin(function_node.FunctionNode):
    """``sin(x)``; backward ``gy cos(x)``."""

    check_type_forward = staticmethod(_util.check_unary_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.sin(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.cos import cos
        x, = self.get_retained_inputs()
        return grad_outputs[0] * cos(x),


def sin(x):
    """Elementwise sine of a floating variable."""
    return Sin().apply((x,))[0]

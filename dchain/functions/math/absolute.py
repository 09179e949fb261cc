"""Elementwise absolute value (``abs(x)``, ``F.absolute``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Absolute(function_node.FunctionNode):
    """``|x|``; the gradient at 0 is 0 (the sign of x)."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return utils.force_array(abs(x)),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * x.xp.sign(x.array),


def absolute(x):
    """Elementwise absolute value of a floating variable."""
    return Absolute().apply((x,))[0]

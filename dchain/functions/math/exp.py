"""Elementwise natural exponential (``F.exp``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _check_float(in_types):
    type_check.argname(in_types, ('x',))
    type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')


class Exp(function_node.FunctionNode):
    """``exp(x)``."""

    check_type_forward = staticmethod(_check_float)

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.exp(inputs[0])),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


def exp(x):
    """Elementwise natural exponential."""
    return Exp().apply((x,))[0]

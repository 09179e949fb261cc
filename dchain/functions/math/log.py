"""Elementwise natural logarithm (``F.log``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _check_float(in_types):
    type_check.argname(in_types, ('x',))
    type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')


class Log(function_node.FunctionNode):
    """``log(x)``."""

    check_type_forward = staticmethod(_check_float)

    def forward(self, inputs):
        self.retain_inputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.log(inputs[0])),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / x,


def log(x):
    """Elementwise natural logarithm."""
    return Log().apply((x,))[0]

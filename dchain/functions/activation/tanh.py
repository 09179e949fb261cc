"""Hyperbolic tangent (``F.tanh``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Tanh(function_node.FunctionNode):
    """``tanh(x)``; backward uses the output: ``gy * (1 - y^2)``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        self.retain_outputs((0,))
        xp = utils.get_xp(inputs[0])
        return utils.force_array(xp.tanh(inputs[0])),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return TanhGrad().apply((y, grad_outputs[0]))


class TanhGrad(function_node.FunctionNode):
    """``gy * (1 - y^2)`` as a node of its own, so tanh can be differentiated twice."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        one = y.dtype.type(1)
        return utils.force_array(gy * (one - y * y)),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(-2 * ggx * gy * y)
            else:
                ret.append(ggx * (1 - y * y))
        return tuple(ret)


def tanh(x):
    """Elementwise hyperbolic tangent of a floating variable."""
    return Tanh().apply((x,))[0]

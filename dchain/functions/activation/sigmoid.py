"""Logistic sigmoid (``F.sigmoid``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Sigmoid(function_node.FunctionNode):
    """``1 / (1 + exp(-x))``; backward uses the output: ``gy * y * (1 - y)``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        half = x.dtype.type(0.5)
        # The tanh form never overflows, unlike exp(-x) for very negative x.
        y = xp.tanh(x * half) * half + half
        self.retain_outputs((0,))
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return SigmoidGrad().apply((y, grad_outputs[0]))


class SigmoidGrad(function_node.FunctionNode):
    """``gy * y * (1 - y)`` as a node of its own, differentiable in both ``y`` and ``gy``."""

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        one = y.dtype.type(1)
        return utils.force_array(gy * y * (one - y)),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(ggx * gy * (1 - 2 * y))
            else:
                ret.append(SigmoidGrad().apply((y, ggx))[0])
        return tuple(ret)


def sigmoid(x):
    """Elementwise logistic sigmoid ``1 / (1 + exp(-x))``.

    Args:
        x (Variable or array): floating input of any shape.

    Returns:
        Variable: output of the same shape and dtype, in ``(0, 1)``.
    """
    return Sigmoid().apply((x,))[0]

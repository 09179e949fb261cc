"""Piecewise-linear approximation of the sigmoid (``F.hard_sigmoid``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class HardSigmoid(function_node.FunctionNode):
    """``clip(0.2 * x + 0.5, 0, 1)``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self._inside = (x > -2.5) & (x < 2.5)
        y = xp.clip(x * x.dtype.type(0.2) + x.dtype.type(0.5), x.dtype.type(0),
                    x.dtype.type(1))
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        return HardSigmoidGrad(self._inside).apply(grad_outputs)


class HardSigmoidGrad(function_node.FunctionNode):
    """``0.2 * gy`` where the input was in the linear part, 0 elsewhere; linear in ``gy``."""

    def __init__(self, inside):
        self.inside = inside

    def forward(self, inputs):
        gy, = inputs
        return utils.force_array(gy * self.inside * gy.dtype.type(0.2), gy.dtype),

    def backward(self, indexes, grad_outputs):
        return HardSigmoidGrad(self.inside).apply(grad_outputs)


def hard_sigmoid(x):
    """Hard sigmoid: ``0`` below ``-2.5``, ``1`` above ``2.5``, ``0.2 x + 0.5`` between.

    Args:
        x (Variable or array): floating input.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return HardSigmoid().apply((x,))[0]

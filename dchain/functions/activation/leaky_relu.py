"""Leaky rectified linear unit (``F.leaky_relu``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class LeakyReLU(function_node.FunctionNode):
    """``x`` where ``x >= 0``, ``slope * x`` elsewhere."""

    def __init__(self, slope=0.2):
        self.slope = slope

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self._negative = x < 0
        # Arithmetic rather than where(): a data-dependent select is several times slower.
        zero = x.dtype.type(0)
        y = xp.maximum(x, zero) + xp.minimum(x, zero) * x.dtype.type(self.slope)
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        return LeakyReLUGrad(self._negative, self.slope).apply(grad_outputs)


class LeakyReLUGrad(function_node.FunctionNode):
    """``gy`` scaled by ``slope`` where the input was negative; linear in ``gy``."""

    def __init__(self, negative, slope):
        self.negative = negative
        self.slope = slope

    def forward(self, inputs):
        gy, = inputs
        coef = self.negative.astype(gy.dtype) * gy.dtype.type(self.slope - 1) + gy.dtype.type(1)
        return utils.force_array(gy * coef, gy.dtype),

    def backward(self, indexes, grad_outputs):
        return LeakyReLUGrad(self.negative, self.slope).apply(grad_outputs)


def leaky_relu(x, slope=0.2):
    """Leaky rectified linear unit: ``x`` if ``x >= 0`` else ``slope * x``.

    Args:
        x (Variable or array): floating input of any shape.
        slope (float): slope of the negative part.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return LeakyReLU(slope).apply((x,))[0]

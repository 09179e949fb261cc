"""Exponential linear unit (``F.elu``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class ELU(function_node.FunctionNode):
    """``x`` where ``x >= 0``, ``alpha * (exp(x) - 1)`` elsewhere."""

    def __init__(self, alpha=1.0):
        self.alpha = float(alpha)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self.retain_inputs((0,))
        zero = x.dtype.type(0)
        # expm1(min(x, 0)) vanishes where x >= 0, so the two parts simply add up.
        y = xp.maximum(x, zero) + xp.expm1(xp.minimum(x, zero)) * x.dtype.type(self.alpha)
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return ELUGrad(self.alpha).apply((x, grad_outputs[0]))


class ELUGrad(function_node.FunctionNode):
    """``gy * (1 if x >= 0 else alpha * exp(x))``, differentiable in ``x`` and ``gy``."""

    def __init__(self, alpha):
        self.alpha = alpha

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gy = inputs
        xp = utils.get_xp(x)
        one = x.dtype.type(1)
        slope = xp.exp(xp.minimum(x, x.dtype.type(0))) * x.dtype.type(self.alpha) - one
        slope *= x < 0
        slope += one
        return utils.force_array(slope * gy, gy.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        x, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                neg = (x.array < 0).astype(x.dtype)
                # exp of the masked input: exp(x) itself could overflow where x > 0.
                ret.append(ggx * gy * exp(x * neg) * (self.alpha * neg))
            else:
                ret.append(ELUGrad(self.alpha).apply((x, ggx))[0])
        return tuple(ret)


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` if ``x >= 0`` else ``alpha * (exp(x) - 1)``.

    Args:
        x (Variable or array): floating input of any shape.
        alpha (float): scale of the negative part.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return ELU(alpha).apply((x,))[0]

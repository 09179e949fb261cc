"""L2 normalization of vectors along an axis (``F.normalize``)."""
from dchain import function_node
from dchain import utils
from dchain.config import config
from dchain.utils import type_check
from dchain.variable import Variable


class NormalizeL2(function_node.FunctionNode):
    """``x / (||x||_2 + eps)`` with the norm taken over ``axis``."""

    def __init__(self, eps=1e-5, axis=1):
        self.eps = eps
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ('x',))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f')
        axes = self.axis if isinstance(self.axis, tuple) else (self.axis,)
        for a in axes:
            type_check.expect(-x_type.ndim <= a, a < x_type.ndim)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        norm = xp.sqrt((x * x).sum(axis=self.axis, keepdims=True))
        norm += x.dtype.type(self.eps)
        return utils.force_array(x / norm),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        if config.enable_backprop:
            from dchain.functions.math.sqrt import sqrt
            from dchain.functions.math.sum import sum as sum_
            norm = sqrt(sum_(x * x, axis=self.axis, keepdims=True))
            denom = norm + self.eps
            # d/dx [x / (|x| + eps)] = I/(|x|+eps) - x x^T / ((|x|+eps)^2 |x|)
            proj = sum_(gy * x, axis=self.axis, keepdims=True)
            return gy / denom - x * (proj / (denom * denom * norm)),
        x, gy = x.array, gy.array
        xp = utils.get_xp(x)
        norm = xp.sqrt((x * x).sum(axis=self.axis, keepdims=True))
        denom = norm + x.dtype.type(self.eps)
        proj = (gy * x).sum(axis=self.axis, keepdims=True)
        gx = gy / denom - x * (proj / (denom * denom * norm))
        return Variable(utils.force_array(gx), requires_grad=False),


def normalize(x, eps=1e-5, axis=1):
    """L2-normalize ``x`` along ``axis``: ``y = x / (||x||_2 + eps)``.

    Args:
        x (Variable or array): floating input with at least ``axis + 1`` dimensions.
        eps (float): added to the norm so zero vectors stay finite.
        axis (int or tuple of int): axis or axes over which the norm is taken.

    Returns:
        Variable: of the shape of ``x``.
    """
    return NormalizeL2(eps, axis).apply((x,))[0]

"""Concatenated ReLU (``F.crelu``): ``relu(x)`` and ``relu(-x)`` side by side."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class CReLU(function_node.FunctionNode):
    """``concat(max(x, 0), max(-x, 0))`` along ``axis``; doubles that axis."""

    def __init__(self, axis=1):
        if not isinstance(axis, int):
            raise TypeError('crelu: axis must be an int, got {!r}'.format(axis))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(self.axis < x.ndim)
        else:
            type_check.expect(-self.axis - 1 < x.ndim)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self.retain_inputs((0,))
        zero = x.dtype.type(0)
        y = xp.concatenate((xp.maximum(x, zero), xp.maximum(-x, zero)), axis=self.axis)
        return y,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        axis = self.axis % x.ndim
        n = x.shape[axis]
        lead = (slice(None),) * axis
        g_pos = gy[lead + (slice(0, n),)]
        g_neg = gy[lead + (slice(n, 2 * n),)]
        pos = (x.array > 0).astype(x.dtype)
        neg = (x.array < 0).astype(x.dtype)
        return g_pos * pos - g_neg * neg,


def crelu(x, axis=1):
    """Concatenated rectifier: ``concat((relu(x), relu(-x)), axis)``.

    Args:
        x (Variable or array): floating input with more than ``axis`` dimensions.
        axis (int): axis along which the two halves are concatenated.

    Returns:
        Variable: output whose ``axis`` is twice as long as the input's.
    """
    return CReLU(axis).apply((x,))[0]

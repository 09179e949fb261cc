"""Pick one element per row by an index vector (``F.select_item``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class SelectItem(function_node.FunctionNode):
    """``y[i] = x[i, t[i]]`` for a 2-D ``x`` and an integer vector ``t``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 't'))
        type_check.expect(in_types.size() == 2)
        x_type, t_type = in_types
        type_check.expect(
            t_type.dtype.kind == 'i',
            x_type.ndim == 2,
            t_type.ndim == 1,
            x_type.shape[0] == t_type.shape[0],
        )

    def forward(self, inputs):
        x, t = inputs
        xp = utils.get_xp(x, t)
        self.retain_inputs((1,))
        self._x_shape = x.shape
        return x[xp.arange(len(t)), t],

    def backward(self, indexes, grad_outputs):
        t, = self.get_retained_inputs()
        gx = SelectItemGrad(self._x_shape).apply((t, grad_outputs[0]))[0]
        return gx, None


class SelectItemGrad(function_node.FunctionNode):
    """Place ``gy[i]`` at ``(i, t[i])`` of a zero matrix of the input's shape."""

    def __init__(self, x_shape):
        self.x_shape = x_shape

    def forward(self, inputs):
        t, gy = inputs
        xp = utils.get_xp(t, gy)
        self.retain_inputs((0,))
        gx = xp.zeros(self.x_shape, gy.dtype)
        gx[xp.arange(len(t)), t] = gy
        return gx,

    def backward(self, indexes, grad_outputs):
        t, = self.get_retained_inputs()
        return None, SelectItem().apply((grad_outputs[0], t))[0]


def select_item(x, t):
    """Select one element from each row of ``x``.

    Args:
        x (Variable or array): matrix of shape ``(B, N)``.
        t (Variable or array): signed integer vector of length ``B`` with values in
            ``[0, N)``.

    Returns:
        Variable: vector with ``y[i] = x[i, t[i]]``.
    """
    return SelectItem().apply((x, t))[0]

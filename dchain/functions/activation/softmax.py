"""Softmax over one axis (``F.softmax``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _check_axis(in_types, axis):
    x = in_types[0]
    if axis >= 0:
        type_check.expect(axis < x.ndim)
    else:
        type_check.expect(-axis - 1 < x.ndim)


class Softmax(function_node.FunctionNode):
    """``exp(x) / sum(exp(x), axis)``, computed after subtracting the maximum."""

    def __init__(self, axis=1):
        if not isinstance(axis, int):
            raise TypeError('softmax: axis must be an int, got {!r}'.format(axis))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        _check_axis(in_types, self.axis)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        y = x - x.max(axis=self.axis, keepdims=True)
        xp.exp(y, out=y)
        y /= y.sum(axis=self.axis, keepdims=True)
        self.retain_outputs((0,))
        return y,

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return SoftmaxGrad(self.axis).apply((y, grad_outputs[0]))


class SoftmaxGrad(function_node.FunctionNode):
    """``y * (gy - sum(y * gy, axis))``: the softmax Jacobian (symmetric) applied to ``gy``."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        gx = y * gy
        s = gx.sum(axis=self.axis, keepdims=True)
        gx -= y * s
        return gx,

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum import sum as sum_
        y, gy = self.get_retained_inputs()
        g, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                # d/dy of y * (gy - <y, gy>) contracted with g.
                s = sum_(y * gy, axis=self.axis, keepdims=True)
                t = sum_(y * g, axis=self.axis, keepdims=True)
                ret.append(g * (gy - s) - gy * t)
            else:
                # The Jacobian is symmetric, so the map gy -> gx is its own adjoint.
                ret.append(SoftmaxGrad(self.axis).apply((y, g))[0])
        return tuple(ret)


def softmax(x, axis=1):
    """Softmax along ``axis``: ``exp(x) / sum(exp(x), axis)``.

    Args:
        x (Variable or array): floating input with at least ``axis + 1`` dimensions.
        axis (int): axis along which to normalize.

    Returns:
        Variable: output of the same shape and dtype; sums to one along ``axis``.
    """
    return Softmax(axis).apply((x,))[0]

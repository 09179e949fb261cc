"""Cumulative product along an axis (``F.cumprod``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math.cumsum import _check_axis
from dchain.functions.math.cumsum import _validate_axis
from dchain.functions.math.cumsum import reverse_cumsum


class Cumprod(function_node.FunctionNode):
    """Cumulative product along ``axis`` (None: along the flattened input).

    The gradient ``gx_k = sum_{i >= k} gy_i prod_{j <= i, j != k} x_j`` is computed as
    ``reverse_cumsum(gy * y) / x`` when ``x`` has no zeros (differentiable again). With
    zeros, the first zero of each line gets the product that skips it and the elements past
    it get zero; that gradient is exact but differentiable again only with respect to ``gy``.
    """

    def __init__(self, axis=None):
        self.axis = _validate_axis(axis, 'F.cumprod')

    def check_type_forward(self, in_types):
        _check_axis(in_types, self.axis)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(xp.cumprod(x, axis=self.axis), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        x_shape = x.shape
        if self.axis is None:
            x = reshape(x, (-1,))
            axis = 0
        else:
            axis = self.axis
        xp = x.xp
        xa = x.array
        zero = xa == 0
        if not zero.any():
            gx = reverse_cumsum(gy * y, axis) / x
        else:
            count = xp.cumsum(zero, axis=axis)
            before = count == 0
            first = zero & (count == 1)
            one = xa.dtype.type(1)
            y_skip = xp.cumprod(xp.where(first, one, xa), axis=axis)
            inv_before = xp.where(before, one / xp.where(before, xa, one), 0).astype(xa.dtype)
            gx = reverse_cumsum(gy * y.array, axis) * inv_before + \
                reverse_cumsum(gy * y_skip, axis) * first.astype(xa.dtype)
        return gx if self.axis is not None else reshape(gx, x_shape),


def cumprod(x, axis=None):
    """Cumulative product of ``x`` along ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None or int): the axis; None flattens ``x`` first (the output is 1-d).
    """
    return Cumprod(axis).apply((x,))[0]

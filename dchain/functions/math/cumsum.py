"""Cumulative sum along an axis (``F.cumsum``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _check_axis(in_types, axis):
    type_check.argname(in_types, ('x',))
    x = in_types[0]
    type_check.expect(in_types.size() == 1, x.dtype.kind == 'f')
    if axis is not None:
        if axis >= 0:
            type_check.expect(axis < x.ndim)
        else:
            type_check.expect(-axis - 1 < x.ndim)


def _validate_axis(axis, name):
    if axis is not None and not isinstance(axis, int):
        raise TypeError('{}: axis must be None or an int, got {!r}'.format(name, axis))
    return axis


def reverse_cumsum(x, axis):
    """Cumulative sum from the end of ``axis`` (a Variable op): ``y_k = sum_{i >= k} x_i``."""
    flip = (slice(None),) * (axis % x.ndim) + (slice(None, None, -1),)
    return cumsum(x[flip], axis)[flip]


class Cumsum(function_node.FunctionNode):
    """Cumulative sum along ``axis`` (None: along the flattened input)."""

    def __init__(self, axis=None):
        self.axis = _validate_axis(axis, 'F.cumsum')

    def check_type_forward(self, in_types):
        _check_axis(in_types, self.axis)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        xp = utils.get_xp(x)
        return utils.force_array(xp.cumsum(x, axis=self.axis), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        gy, = grad_outputs
        axis = 0 if self.axis is None else self.axis
        gx = reverse_cumsum(gy, axis)
        return gx if self.axis is not None else reshape(gx, self._x_shape),


def cumsum(x, axis=None):
    """Cumulative sum of ``x`` along ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None or int): the axis; None flattens ``x`` first (the output is 1-d).
    """
    return Cumsum(axis).apply((x,))[0]

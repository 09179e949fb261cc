"""Remove axes of length one (``F.squeeze``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


def _normalize_axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (int, numpy.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (tuple, list)) and all(
            isinstance(a, (int, numpy.integer)) and not isinstance(a, bool) for a in axis):
        return tuple(int(a) for a in axis)
    raise TypeError('squeeze: axis must be None, an int or a tuple of ints, got {!r}'.format(
        axis))


class Squeeze(function_node.FunctionNode):
    """Drop the given axes (all length-1 axes when ``axis`` is None)."""

    def __init__(self, axis=None):
        self.axis = _normalize_axis(axis)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        if self.axis is not None:
            for a in self.axis:
                if a >= 0:
                    type_check.expect(x_type.ndim > a)
                else:
                    type_check.expect(x_type.ndim >= -a)
                type_check.expect(x_type.shape[a] == 1)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        if self.axis is None:
            shape = tuple(s for s in x.shape if s != 1)
        else:
            drop = {a % x.ndim for a in self.axis}
            if len(drop) != len(self.axis):
                raise ValueError('squeeze: repeated axis in {}'.format(self.axis))
            shape = tuple(s for i, s in enumerate(x.shape) if i not in drop)
        return x.reshape(shape),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import Reshape
        return Reshape(self._x_shape).apply(grad_outputs)


def squeeze(x, axis=None):
    """Remove axes of length one from ``x``.

    Args:
        x (Variable or array): input.
        axis (None, int or tuple of int): axes to remove; each must have length 1. None
            removes every axis of length 1.
    """
    return Squeeze(axis).apply((x,))[0]

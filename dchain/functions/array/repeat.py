"""Repeat each element of a variable (``F.repeat``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _segment_matrix(repeats, dtype, xp):
    """One-hot (sum(repeats), len(repeats)) matrix mapping each copy to its source."""
    source = numpy.repeat(numpy.arange(len(repeats)), repeats)
    m = numpy.zeros((source.size, len(repeats)), dtype=dtype)
    m[numpy.arange(source.size), source] = 1
    return xp.asarray(m)


class Repeat(function_node.FunctionNode):
    """``numpy.repeat(x, repeats, axis)``."""

    def __init__(self, repeats, axis=None):
        if isinstance(repeats, (int, numpy.integer)) and not isinstance(repeats, bool):
            repeats = (int(repeats),)
        elif isinstance(repeats, (tuple, list)) and all(
                isinstance(r, (int, numpy.integer)) and not isinstance(r, bool)
                for r in repeats):
            repeats = tuple(int(r) for r in repeats)
        else:
            raise TypeError('repeat: repeats must be an int or a sequence of ints, got {!r}'
                            .format(repeats))
        if any(r < 0 for r in repeats):
            raise ValueError('repeat: repeats must be non-negative, got {}'.format(repeats))
        if axis is not None and (not isinstance(axis, (int, numpy.integer)) or
                                 isinstance(axis, bool)):
            raise TypeError('repeat: axis must be None or an int, got {!r}'.format(axis))
        self.repeats = repeats
        self.axis = None if axis is None else int(axis)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        if self.axis is not None:
            if self.axis >= 0:
                type_check.expect(x_type.ndim > self.axis)
            else:
                type_check.expect(x_type.ndim >= -self.axis)
            if len(self.repeats) > 1:
                type_check.expect(x_type.shape[self.axis] == len(self.repeats))
        elif len(self.repeats) > 1:
            type_check.expect(x_type.size == len(self.repeats))

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        self._dtype = x.dtype
        repeats = self.repeats[0] if len(self.repeats) == 1 else list(self.repeats)
        return utils.get_xp(x).repeat(x, repeats, self.axis),

    def backward(self, indexes, grad_outputs):
        return RepeatGrad(self.repeats, self.axis, self._x_shape).apply(grad_outputs)


class RepeatGrad(function_node.FunctionNode):
    """Sum the copies made by :class:`Repeat` back into their source elements."""

    def __init__(self, repeats, axis, x_shape):
        self.repeats = repeats
        self.axis = axis
        self.x_shape = x_shape

    def forward(self, inputs):
        gy, = inputs
        xp = utils.get_xp(gy)
        if self.axis is None:
            g = gy
            axis = 0
            length = utils.size_of_shape(self.x_shape)
        else:
            g = gy
            axis = self.axis % len(self.x_shape)
            length = self.x_shape[axis]
        if len(self.repeats) == 1 or len(set(self.repeats)) == 1:
            r = self.repeats[0]
            shape = g.shape[:axis] + (length, r) + g.shape[axis + 1:]
            gx = g.reshape(shape).sum(axis=axis + 1)
        else:
            m = _segment_matrix(self.repeats, gy.dtype, xp)
            gx = xp.moveaxis(xp.matmul(xp.moveaxis(g, axis, -1), m), -1, axis)
        return utils.force_array(gx.reshape(self.x_shape)),

    def backward(self, indexes, grad_outputs):
        return Repeat(self.repeats, self.axis).apply(grad_outputs)


def repeat(x, repeats, axis=None):
    """Repeat the elements of ``x`` (as ``numpy.repeat``).

    Args:
        x (Variable or array): input.
        repeats (int or sequence of int): copies of each element (one count for all, or one
            per element along ``axis``).
        axis (int or None): the axis to repeat along; None repeats the flattened array.
    """
    return Repeat(repeats, axis).apply((x,))[0]

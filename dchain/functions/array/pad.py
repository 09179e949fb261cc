"""Pad a variable with numpy.pad's modes (``F.pad``).

Every supported mode copies input elements (or a constant) into the border, so the gradient
of an input element is the sum of the output gradients at every place it was copied to. The
padding acts on each axis independently, which lets backward fold the border back one axis at
a time with a small one-hot matrix product (BLAS) instead of a scatter.
"""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check

_MODES = ('constant', 'edge', 'reflect', 'symmetric', 'wrap')


def _pad_widths(pad_width, ndim):
    try:
        widths = numpy.broadcast_to(numpy.asarray(pad_width, dtype=numpy.int64), (ndim, 2))
    except ValueError:
        raise ValueError('pad: pad_width {!r} does not fit an array of {} dimensions'.format(
            pad_width, ndim)) from None
    if (widths < 0).any():
        raise ValueError('pad: pad_width must be non-negative, got {!r}'.format(pad_width))
    return tuple((int(b), int(a)) for b, a in widths)


def _fold_axis(g, axis, before, after, length, mode):
    """Adjoint of padding one axis: add each padded position into its source position."""
    xp = utils.get_xp(g)
    source = numpy.pad(numpy.arange(length), (before, after), mode=mode)
    onehot = numpy.zeros((source.size, length), dtype=g.dtype)
    onehot[numpy.arange(source.size), source] = 1
    onehot = xp.asarray(onehot)
    moved = xp.moveaxis(g, axis, -1)
    return xp.moveaxis(xp.matmul(moved, onehot), -1, axis)


class Pad(function_node.FunctionNode):
    """``numpy.pad(x, pad_width, mode, **keywords)`` for the modes that copy values."""

    def __init__(self, pad_width, mode, **keywords):
        if mode not in _MODES:
            raise ValueError('pad: mode must be one of {}, got {!r}'.format(_MODES, mode))
        allowed = {'constant': ('constant_values',), 'reflect': ('reflect_type',),
                   'symmetric': ('reflect_type',)}.get(mode, ())
        for key in keywords:
            if key not in allowed:
                raise TypeError('pad: keyword {!r} is not accepted in mode {!r}'.format(
                    key, mode))
        if keywords.get('reflect_type', 'even') != 'even':
            raise ValueError('pad: reflect_type={!r} is not supported (only "even")'.format(
                keywords['reflect_type']))
        self.pad_width = pad_width
        self.mode = mode
        self.keywords = keywords

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self._widths = _pad_widths(self.pad_width, x.ndim)
        self._x_shape = x.shape
        if self.mode in ('reflect', 'symmetric', 'wrap', 'edge') and 0 in x.shape:
            raise ValueError('pad: mode {!r} cannot pad an empty axis'.format(self.mode))
        return xp.pad(x, self._widths, mode=self.mode, **self.keywords),

    def backward(self, indexes, grad_outputs):
        return PadGrad(self._widths, self.mode, self._x_shape).apply(grad_outputs)


class PadGrad(function_node.FunctionNode):
    """Gradient of :class:`Pad`: crop (constant mode) or fold the border back in."""

    def __init__(self, widths, mode, x_shape):
        self.widths = widths
        self.mode = mode
        self.x_shape = x_shape

    def forward(self, inputs):
        gy, = inputs
        if self.mode == 'constant':
            index = tuple(slice(b, b + n) for (b, _), n in zip(self.widths, self.x_shape))
            return gy[index],
        g = gy
        for axis, ((before, after), n) in enumerate(zip(self.widths, self.x_shape)):
            if before or after:
                g = _fold_axis(g, axis, before, after, n, self.mode)
        return utils.force_array(g),

    def backward(self, indexes, grad_outputs):
        return Pad(self.widths, self.mode).apply(grad_outputs)


def pad(x, pad_width, mode, **keywords):
    """Pad ``x`` as ``numpy.pad`` does.

    Args:
        x (Variable or array): floating input.
        pad_width (int or array-like): widths added before and after each axis, in any form
            numpy.pad accepts (``n``, ``(before, after)``, or one pair per axis).
        mode (str): ``'constant'``, ``'edge'``, ``'reflect'``, ``'symmetric'`` or ``'wrap'``.
        constant_values: fill value(s) of the ``'constant'`` mode (default 0).

    Returns:
        Variable: the padded variable.
    """
    return Pad(pad_width, mode, **keywords).apply((x,))[0]

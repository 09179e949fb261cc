"""Helpers shared by the math functions: type checks of unary inputs and reduction axes."""
from dchain.utils import type_check


def check_unary_float(in_types):
    """One floating input named ``x``."""
    type_check.argname(in_types, ('x',))
    type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')


def check_binary_float(in_types, names=('x1', 'x2')):
    """Two floating inputs of one dtype whose shapes broadcast together."""
    type_check.argname(in_types, names)
    type_check.expect(in_types.size() == 2, in_types[0].dtype.kind == 'f',
                      in_types[0].dtype == in_types[1].dtype)
    type_check.expect_broadcast_shapes(in_types[0].shape, in_types[1].shape)


def normalize_axis(axis, func_name):
    """``axis`` as None or a tuple of ints; reject other types and duplicates."""
    if axis is None:
        return None
    if isinstance(axis, int):
        return (axis,)
    if isinstance(axis, (tuple, list)) and all(isinstance(a, int) for a in axis):
        axis = tuple(axis)
        if len(set(axis)) != len(axis):
            raise ValueError('{}: duplicate value in axis {}'.format(func_name, axis))
        return axis
    raise TypeError('{}: axis must be None, an int or a tuple of ints, got {!r}'.format(
        func_name, axis))


def check_axis(x_type, axis):
    """Each axis of ``axis`` (a tuple or None) exists in ``x_type``."""
    if axis is None:
        return
    for a in axis:
        if a >= 0:
            type_check.expect(a < x_type.ndim)
        else:
            type_check.expect(-a - 1 < x_type.ndim)


def expand_reduced(y, x_shape, axis, keepdims):
    """Reshape a reduction result ``y`` (Variable) so that it broadcasts against ``x_shape``.

    Reductions drop the reduced axes unless ``keepdims``; backward needs them back as
    length-1 axes to broadcast the gradient to the input shape.
    """
    from dchain.functions.array.reshape import reshape
    ndim = len(x_shape)
    if keepdims or ndim == 0:
        return y
    if axis is None:
        shape = (1,) * ndim
    else:
        axes = set(a % ndim for a in axis)
        shape = tuple(1 if i in axes else s for i, s in enumerate(x_shape))
    return reshape(y, shape)


def expand_reduced_array(y, x_shape, axis, keepdims):
    """Array version of :func:`expand_reduced`."""
    ndim = len(x_shape)
    if keepdims or ndim == 0:
        return y
    if axis is None:
        return y.reshape((1,) * ndim)
    axes = set(a % ndim for a in axis)
    return y.reshape(tuple(1 if i in axes else s for i, s in enumerate(x_shape)))


def reduced_size(x_shape, axis):
    """Number of elements each reduction output covers."""
    if axis is None:
        n = 1
        for s in x_shape:
            n *= s
        return n
    n = 1
    for a in axis:
        n *= x_shape[a]
    return n

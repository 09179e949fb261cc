"""Add a bias broadcast along axes of the input (``F.bias``), composed of reshape/broadcast."""
from dchain import variable
from dchain.utils import type_check


def expand_param(func_name, x, y, axis):
    """``y`` reshaped and broadcast to ``x.shape``, its axes matching ``x``'s from ``axis``."""
    from dchain.functions.array.broadcast_to import broadcast_to
    from dchain.functions.array.reshape import reshape
    x = variable.as_variable(x)
    y = variable.as_variable(y)
    if not isinstance(axis, int):
        raise TypeError('{}: axis must be an int, got {!r}'.format(func_name, axis))
    if x.dtype != y.dtype:
        raise type_check.InvalidType('x.dtype == y.dtype', '{} != {}'.format(x.dtype, y.dtype))
    if axis < 0:
        axis += x.ndim
    if not 0 <= axis or axis + y.ndim > x.ndim or \
            x.shape[axis:axis + y.ndim] != y.shape:
        raise type_check.InvalidType(
            'x.shape[axis:axis + y.ndim] == y.shape (in {}, axis={})'.format(func_name, axis),
            '{} != {}'.format(x.shape[max(axis, 0):max(axis, 0) + y.ndim], y.shape))
    shape = (1,) * axis + y.shape + (1,) * (x.ndim - axis - y.ndim)
    return x, broadcast_to(reshape(y, shape), x.shape)


def bias(x, y, axis=1):
    """Elementwise sum of ``x`` and ``y`` broadcast along the axes of ``x`` from ``axis``.

    ``y.shape`` must equal ``x.shape[axis:axis + y.ndim]``: e.g. a per-channel bias of shape
    ``(C,)`` on images ``(N, C, H, W)`` with ``axis=1``.

    Args:
        x (Variable or array): the input.
        y (Variable or array): the bias, of the same dtype.
        axis (int): the first axis of ``x`` that ``y`` spans.
    """
    x, y = expand_param('F.bias', x, y, axis)
    return x + y

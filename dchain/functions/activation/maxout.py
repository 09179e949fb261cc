"""Maxout (``F.maxout``): maximum over groups of channels."""
import numbers

from dchain import utils
from dchain.functions.array.reshape import reshape
from dchain.functions.math.sum import sum as sum_
from dchain.utils import type_check
from dchain.variable import as_array


def maxout(x, pool_size, axis=1):
    """Maximum over ``pool_size`` consecutive entries of ``axis``.

    ``x`` of shape ``(..., M * pool_size, ...)`` gives ``(..., M, ...)``: output ``m`` is the
    maximum of inputs ``m * pool_size`` to ``m * pool_size + pool_size - 1`` along ``axis``.

    Args:
        x (Variable or array): floating input.
        pool_size (int): size of each group; must divide ``x.shape[axis]``.
        axis (int): axis to pool over.

    Returns:
        Variable: the pooled output.
    """
    if not isinstance(pool_size, numbers.Integral) or pool_size <= 0:
        raise ValueError('maxout: pool_size must be a positive integer, got {!r}'.format(
            pool_size))
    data = as_array(x)
    if data.dtype.kind != 'f':
        raise type_check.InvalidType('x.dtype.kind == \'f\'', 'x.dtype={}'.format(data.dtype))
    if not -data.ndim <= axis < data.ndim:
        raise type_check.InvalidType('-x.ndim <= axis < x.ndim',
                                     'axis={}, x.ndim={}'.format(axis, data.ndim))
    axis %= data.ndim
    if data.shape[axis] % pool_size != 0:
        raise type_check.InvalidType(
            'x.shape[axis] % pool_size == 0',
            'x.shape[axis]={}, pool_size={}'.format(data.shape[axis], pool_size))
    shape = data.shape[:axis] + (data.shape[axis] // pool_size, pool_size) + \
        data.shape[axis + 1:]
    grouped = reshape(x, shape)
    # The winner of each group is a constant of the forward pass: selecting it with a one-hot
    # product keeps the result differentiable any number of times.
    xp = utils.get_xp(data)
    winner = data.reshape(shape).argmax(axis=axis + 1)
    onehot = xp.expand_dims(winner, axis + 1) == xp.arange(pool_size).reshape(
        (pool_size,) + (1,) * (len(shape) - axis - 2))
    return sum_(grouped * onehot.astype(data.dtype), axis=axis + 1)

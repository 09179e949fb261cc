"""Weighted average over an axis (``F.average``), composed of sum, mul and div."""
from dchain import variable
from dchain.functions.math import _util
from dchain.utils import type_check


def average(x, axis=None, weights=None, keepdims=False, returned=False):
    """Weighted average of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to average over; None averages everything.
            With ``weights``, at most one axis.
        weights (None, Variable or array): with ``axis=None``, an array of the shape of
            ``x``; with one axis, a 1-d array of length ``x.shape[axis]``. None weights every
            element by one (a plain mean). Weights get gradients too.
        keepdims (bool): keep the reduced axes with length 1.
        returned (bool): also return the sum of the weights, broadcast to the shape of the
            average (as ``numpy.average`` does).

    Returns:
        Variable, or a tuple ``(average, sum_of_weights)`` with ``returned=True``.
    """
    from dchain.functions.array.broadcast_to import broadcast_to
    from dchain.functions.array.reshape import reshape
    from dchain.functions.math.mean import Mean
    from dchain.functions.math.sum import sum as sum_
    x = variable.as_variable(x)
    if weights is None:
        y = Mean(axis, keepdims).apply((x,))[0]
        if not returned:
            return y
        n = _util.reduced_size(x.shape, _util.normalize_axis(axis, 'F.average'))
        return y, variable.Variable(y.xp.full(y.shape, n, dtype=y.dtype), requires_grad=False)

    axis = _util.normalize_axis(axis, 'F.average')
    weights = variable.as_variable(weights)
    if axis is not None:
        if len(axis) > 1:
            raise ValueError('F.average: with weights, axis must be None or one axis; got {}'
                             .format(axis))
        if not -x.ndim <= axis[0] < x.ndim:
            raise type_check.InvalidType('axis < x.ndim', '{} >= {}'.format(axis[0], x.ndim))
        a = axis[0] % x.ndim
        if weights.shape != (x.shape[a],):
            raise type_check.InvalidType(
                'weights.shape == (x.shape[axis],)',
                '{} != {}'.format(weights.shape, (x.shape[a],)))
        w_shape = tuple(s if i == a else 1 for i, s in enumerate(x.shape))
        w_full = broadcast_to(reshape(weights, w_shape), x.shape)
    else:
        if weights.shape != x.shape:
            raise type_check.InvalidType('weights.shape == x.shape', '{} != {}'.format(
                weights.shape, x.shape))
        w_full = weights
    if weights.dtype != x.dtype:
        raise type_check.InvalidType('weights.dtype == x.dtype', '{} != {}'.format(
            weights.dtype, x.dtype))
    x_sum = sum_(x * w_full, axis=axis, keepdims=keepdims)
    w_sum = broadcast_to(sum_(weights), x_sum.shape)
    y = x_sum / w_sum
    if returned:
        return y, w_sum
    return y

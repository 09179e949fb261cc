"""Linear-chain conditional random field: loss (``F.crf1d``) and Viterbi (``F.argmax_crf1d``).

Sequences are time-major: ``xs[i]`` holds the label scores of step ``i`` for the sequences
that are at least ``i + 1`` long, sorted longest first, so ``xs[i].shape[0]`` never grows.
Both the forward algorithm and the Viterbi search loop over steps only, batched over
sequences and labels.
"""
import numpy

from dchain.functions.array.concat import concat
from dchain.functions.array.get_item import get_item
from dchain.functions.loss import _compose
from dchain.functions.math.exp import exp
from dchain.functions.math.log import log
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    n = (len(in_types) - 1) // 2
    cost = in_types[0]
    type_check.argname(in_types, ('cost',))
    type_check.expect(cost.dtype.kind == 'f', cost.ndim == 2)
    type_check.expect(cost.shape[0] == cost.shape[1])
    for i in range(n):
        x, y = in_types[1 + i], in_types[1 + n + i]
        type_check.expect(x.dtype == cost.dtype, x.ndim == 2, y.dtype.kind == 'i', y.ndim == 1)
        type_check.expect(x.shape[1] == cost.shape[0], x.shape[0] == y.shape[0])
        if i:
            type_check.expect(x.shape[0] <= in_types[i].shape[0])


def _check_xs(cost, xs, ys):
    if not len(xs):
        raise ValueError('crf1d: xs must hold at least one step')
    if len(xs) != len(ys):
        raise ValueError('crf1d: xs and ys must have the same length, got {} and {}'.format(
            len(xs), len(ys)))
    _compose.check_types('crf1d', _check, cost, *xs, *ys)


def _logsumexp_axis1(a):
    m = a.xp.max(a.array, axis=1, keepdims=True)
    return log(_sum(exp(a - m), axis=1)) + m[:, 0]


def _extend(v, n, fill_from):
    """Grow the per-sequence vector ``v`` (first rows) to ``n`` rows with ``fill_from``'s tail."""
    if v.shape[0] == n:
        return v
    return concat([v, get_item(fill_from, slice(v.shape[0], n))], axis=0)


def _path_score(cost, xs, ys):
    """Score ``sum_i x_i[y_i] + sum_i cost[y_{i-1}, y_i]`` of each sequence, shape (B,)."""
    batch = xs[0].shape[0]
    xp = xs[0].xp
    score = get_item(xs[0], (xp.arange(batch), _array(ys[0])))
    for i in range(1, len(xs)):
        b = xs[i].shape[0]
        y = _array(ys[i])
        step = get_item(xs[i], (xp.arange(b), y)) + \
            get_item(cost, (_array(ys[i - 1])[:b], y))
        if b == batch:
            score = score + step
        else:
            zero = xp.zeros(batch - b, score.dtype)
            score = score + concat([step, zero], axis=0)
    return score


def _array(y):
    return getattr(y, 'array', y)


def crf1d(cost, xs, ys, reduce='mean'):
    """Negative log-likelihood of label sequences under a linear-chain CRF.

    ``p(y | x) = exp(score(y)) / Z`` with ``score(y) = sum_i x_i[y_i] + sum_i cost[y_{i-1},
    y_i]`` and ``Z`` summing over every label sequence.

    Args:
        cost (Variable or array): transition scores (K, K); ``cost[a, b]`` is added when
            label ``a`` is followed by ``b``.
        xs (list of Variable or array): time-major label scores; ``xs[i]`` is (B_i, K) with
            ``B_0 >= B_1 >= ...`` (sequences sorted longest first).
        ys (list of array): time-major gold labels; ``ys[i]`` is (B_i,).
        reduce (str): ``'mean'`` averages over the B_0 sequences; ``'no'`` returns each one's
            loss.
    """
    _compose.check_reduce('crf1d', reduce, ('mean', 'no'))
    _check_xs(cost, xs, ys)
    cost = _compose.as_variable(cost)
    xs = [_compose.as_variable(x) for x in xs]
    batch, n_label = xs[0].shape
    alpha = xs[0]
    for x in xs[1:]:
        b = x.shape[0]
        head = get_item(alpha, slice(0, b))
        step = _logsumexp_axis1(
            head.reshape(b, n_label, 1) + cost.reshape(1, n_label, n_label)) + x
        alpha = _extend(step, batch, alpha)
    log_z = _logsumexp_axis1(alpha)
    loss = log_z - _path_score(cost, xs, ys)
    if reduce == 'mean':
        return _sum(loss) * (1.0 / batch)
    return loss


def argmax_crf1d(cost, xs):
    """Most likely label sequences under a linear-chain CRF (Viterbi).

    Args:
        cost (Variable or array): transition scores (K, K).
        xs (list of Variable or array): time-major label scores as in :func:`crf1d`.

    Returns:
        tuple: ``(score, path)``: ``score`` is a Variable (B_0,) with the best path's score
        (differentiable w.r.t. ``cost`` and ``xs``), ``path`` a list of int32 arrays, ``path[i]``
        (B_i,) holding the labels of step ``i``.
    """
    if not len(xs):
        raise ValueError('argmax_crf1d: xs must hold at least one step')
    _compose.check_types('argmax_crf1d', _check, cost, *xs,
                         *[numpy.zeros(x.shape[0], numpy.int32) for x in xs])
    c = _array(cost)
    arrays = [_array(x) for x in xs]
    xp = _compose.as_variable(arrays[0]).xp
    alpha = arrays[0].copy()
    back = []
    for x in arrays[1:]:
        b = x.shape[0]
        cand = alpha[:b, :, None] + c[None]
        best_prev = cand.argmax(axis=1)                                     # (b, K)
        back.append(best_prev)
        alpha[:b] = xp.take_along_axis(cand, best_prev[:, None, :], axis=1)[:, 0] + x
    current = alpha.argmax(axis=1)
    path = [None] * len(arrays)
    for i in range(len(arrays) - 1, 0, -1):
        b = arrays[i].shape[0]
        path[i] = current[:b].astype(numpy.int32)
        current = current.copy()
        current[:b] = back[i - 1][xp.arange(b), current[:b]]
    path[0] = current.astype(numpy.int32)
    score = _path_score(_compose.as_variable(cost), [_compose.as_variable(x) for x in xs],
                        path)
    return score, path

"""Triplet loss of anchor, positive and negative embeddings (``F.triplet``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('anchor', 'positive', 'negative'))
    type_check.expect(in_types.size() == 3)
    a, p, n = in_types
    type_check.expect(a.dtype.kind == 'f', a.dtype == p.dtype, a.dtype == n.dtype,
                      a.ndim == 2, a.shape == p.shape, a.shape == n.shape)


def triplet(anchor, positive, negative, margin=0.2, reduce='mean'):
    """``max(||a - p||^2 - ||a - n||^2 + margin, 0)`` per row.

    Args:
        anchor, positive, negative (Variable or array): embeddings of shape (N, K).
        margin (float): how much farther the negative must be than the positive.
        reduce (str): ``'mean'`` averages over N; ``'no'`` returns each row's loss.
    """
    if margin <= 0:
        raise ValueError('triplet: margin must be positive, got {}'.format(margin))
    _compose.check_reduce('triplet', reduce, ('mean', 'no'))
    _compose.check_types('triplet', _check, anchor, positive, negative)
    a, p, n = (_compose.as_variable(v) for v in (anchor, positive, negative))
    dp = a - p
    dn = a - n
    loss = _compose.relu(_sum(dp * dp, axis=1) - _sum(dn * dn, axis=1) + margin)
    return _sum(loss) * (1.0 / max(len(loss), 1)) if reduce == 'mean' else loss

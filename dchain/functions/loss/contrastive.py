"""Contrastive loss of pairs of embeddings (``F.contrastive``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('x0', 'x1', 'y'))
    type_check.expect(in_types.size() == 3)
    x0, x1, y = in_types
    type_check.expect(x0.dtype.kind == 'f', x0.dtype == x1.dtype, y.dtype.kind == 'i',
                      x0.ndim == 2, x0.shape == x1.shape, y.ndim == 1)
    type_check.expect(x0.shape[0] == y.shape[0])


def contrastive(x0, x1, y, margin=1, reduce='mean'):
    """``y d^2 + (1 - y) max(margin - d, 0)^2`` halved, with ``d = ||x0 - x1||`` per row.

    Args:
        x0, x1 (Variable or array): embeddings of shape (N, K).
        y (Variable or array): integer labels (N,): 1 for similar pairs, 0 for dissimilar.
        margin (float): dissimilar pairs farther apart than this cost nothing.
        reduce (str): ``'mean'`` averages over the N pairs; ``'no'`` returns each pair's loss.
    """
    if margin <= 0:
        raise ValueError('contrastive: margin must be positive, got {}'.format(margin))
    _compose.check_reduce('contrastive', reduce, ('mean', 'no'))
    _compose.check_types('contrastive', _check, x0, x1, y)
    x0, x1 = _compose.as_variable(x0), _compose.as_variable(x1)
    y = getattr(y, 'array', y).astype(x0.dtype)
    diff = x0 - x1
    dist_sq = _sum(diff * diff, axis=1)
    # Similar pairs use dist_sq directly. For dissimilar ones sqrt has an infinite slope at
    # 0, so coincident points are lifted to d = 1e-8, where the gradient is finite (0).
    lift = (dist_sq.array < 1e-16).astype(x0.dtype) * x0.dtype.type(1e-16)
    gap = _compose.relu(margin - (dist_sq + lift) ** 0.5)
    loss = (dist_sq * y + gap * gap * (1 - y)) * 0.5
    return _sum(loss) * (1.0 / max(len(y), 1)) if reduce == 'mean' else loss

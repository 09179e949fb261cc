"""DeCov loss: penalise covariance between hidden units (``F.decov``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.matmul import matmul
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('h',))
    type_check.expect(in_types.size() == 1)
    type_check.expect(in_types[0].dtype.kind == 'f', in_types[0].ndim == 2)


def decov(h, reduce='half_squared_sum'):
    """DeCov loss of activations ``h`` (N, M): off-diagonal covariance of the M units.

    Args:
        h (Variable or array): a batch of activations; axis 0 is the batch.
        reduce (str): ``'half_squared_sum'`` returns half the squared Frobenius norm of the
            off-diagonal covariance; ``'no'`` returns that (M, M) matrix (zero diagonal).
    """
    _compose.check_reduce('decov', reduce, ('half_squared_sum', 'no'))
    _compose.check_types('decov', _check, h)
    h = _compose.as_variable(h)
    n, m = h.shape
    centred = h - _sum(h, axis=0, keepdims=True) * (1.0 / max(n, 1))
    off_diagonal = 1 - h.xp.eye(m, dtype=h.dtype)
    cov = matmul(centred, centred, transa=True) * off_diagonal * (1.0 / max(n, 1))
    if reduce == 'no':
        return cov
    return _sum(cov * cov) * 0.5

"""Cross-covariance loss between two sets of activations (``F.cross_covariance``)."""
from dchain.functions.loss import _compose
from dchain.functions.math.matmul import matmul
from dchain.functions.math.sum import sum as _sum
from dchain.utils import type_check


def _check(in_types):
    type_check.argname(in_types, ('y', 'z'))
    type_check.expect(in_types.size() == 2)
    y, z = in_types
    type_check.expect(y.dtype.kind == 'f', y.dtype == z.dtype, y.ndim == 2, z.ndim == 2)
    type_check.expect(y.shape[0] == z.shape[0])


def cross_covariance(y, z, reduce='half_squared_sum'):
    """Cross-covariance of ``y`` (N, M) and ``z`` (N, K) over the batch axis.

    Args:
        reduce (str): ``'half_squared_sum'`` returns half the squared Frobenius norm of the
            (M, K) cross-covariance matrix; ``'no'`` returns the matrix.
    """
    _compose.check_reduce('cross_covariance', reduce, ('half_squared_sum', 'no'))
    _compose.check_types('cross_covariance', _check, y, z)
    y, z = _compose.as_variable(y), _compose.as_variable(z)
    scale = 1.0 / max(y.shape[0], 1)
    yc = y - _sum(y, axis=0, keepdims=True) * scale
    zc = z - _sum(z, axis=0, keepdims=True) * scale
    cov = matmul(yc, zc, transa=True) * scale
    if reduce == 'no':
        return cov
    return _sum(cov * cov) * 0.5

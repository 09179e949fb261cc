"""Batched matrix product (``F.batch_matmul``; deprecated in Chainer in favour of matmul)."""
import warnings

from dchain import variable


def _as_batch_matrix(x):
    from dchain.functions.array.reshape import reshape
    if x.ndim < 2:
        raise ValueError('F.batch_matmul: inputs need a batch axis and at least one more '
                         'axis; got shape {}'.format(x.shape))
    if x.ndim == 3:
        return x
    # A batch of vectors is a batch of column vectors; extra axes fold into columns.
    return reshape(x, x.shape[:2] + (-1,))


def batch_matmul(a, b, transa=False, transb=False):
    """Matrix product of two batches of matrices: ``c[i] = op(a[i]) @ op(b[i])``.

    A 2-d input ``(B, N)`` is a batch of column vectors ``(B, N, 1)``; axes after the second
    are folded into the column axis. Prefer :func:`matmul`, which broadcasts.

    Args:
        a, b (Variable or array): floating inputs of one dtype with a leading batch axis.
        transa, transb (bool): transpose each matrix of ``a`` (``b``) first.
    """
    warnings.warn('F.batch_matmul is deprecated; use F.matmul', DeprecationWarning,
                  stacklevel=2)
    from dchain.functions.math.matmul import matmul
    a = _as_batch_matrix(variable.as_variable(a))
    b = _as_batch_matrix(variable.as_variable(b))
    return matmul(a, b, transa=transa, transb=transb)

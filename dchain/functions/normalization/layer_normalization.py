"""Layer normalization (``F.layer_normalization``): per-sample statistics, per-feature scale."""
from dchain import variable
from dchain.functions.normalization.batch_normalization import batch_normalization


def _unit_affine(xp, n, dtype):
    ones = variable.Variable(xp.ones(n, dtype=dtype), requires_grad=False)
    zeros = variable.Variable(xp.zeros(n, dtype=dtype), requires_grad=False)
    return ones, zeros


def layer_normalization(x, gamma, beta, eps=1e-5):
    """Normalize each sample over its features, then scale and shift per feature.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``, where the mean and variance are
    taken over all axes but the first, separately for every sample.

    Args:
        x (Variable or array): input of shape ``(B, N)`` (more axes are flattened into N).
        gamma (Variable or array): scale of shape ``(N,)``.
        beta (Variable or array): shift of shape ``(N,)``.
        eps (float): added to the variance for stability.

    Returns:
        Variable: of the shape of ``x``.
    """
    from dchain.functions.array.reshape import reshape
    from dchain.utils import type_check
    x = variable.as_variable(x)
    if x.ndim < 2:
        raise type_check.InvalidType('x.ndim >= 2', 'x.ndim == {}'.format(x.ndim))
    shape = x.shape
    n = x.size // shape[0] if shape[0] else 0
    if gamma.shape != (n,) or beta.shape != (n,):
        raise type_check.InvalidType(
            'gamma.shape == beta.shape == ({},)'.format(n),
            'gamma.shape == {}, beta.shape == {}'.format(gamma.shape, beta.shape))
    x2 = reshape(x, (shape[0], n)) if x.ndim != 2 else x
    # Per-row statistics are batch statistics over axis 1 with one unit scale per row.
    ones, zeros = _unit_affine(x.xp, shape[0], x.dtype)
    x_hat = batch_normalization(x2, ones, zeros, eps=eps, axis=1)
    y = x_hat * gamma + beta
    return reshape(y, shape) if x.ndim != 2 else y

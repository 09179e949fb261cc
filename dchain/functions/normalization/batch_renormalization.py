"""Batch renormalization (``F.batch_renormalization``): batch normalization corrected toward
the running statistics."""
from dchain import variable
from dchain.functions.normalization.batch_normalization import (
    _compute_dtype, batch_normalization, compute_axis)


def batch_renormalization(x, gamma, beta, rmax, dmax, eps=2e-5, running_mean=None,
                          running_var=None, decay=0.9, update_statistics=False):
    """Batch renormalization (Ioffe, 2017).

    With batch statistics ``mu, sigma`` and running ones ``mu_r, sigma_r``::

        r = clip(sigma / sigma_r, 1 / rmax, rmax)
        d = clip((mu - mu_r) / sigma_r, -dmax, dmax)
        y = gamma * (x_hat * r + d) + beta

    where ``x_hat`` is ``x`` normalized by the batch statistics. ``r`` and ``d`` are treated
    as constants in backprop.

    Args:
        x (Variable or array): input; statistics are taken over axis 0 and every axis after
            those ``gamma`` covers.
        gamma, beta (Variable or array): scale and shift.
        rmax (float): bound of ``r`` (``>= 1``).
        dmax (float): bound of ``|d|`` (``>= 0``).
        eps (float): added to the variances.
        running_mean, running_var (array): running statistics (None: ``r = 1, d = 0``).
        decay (float): decay rate of the running statistics.
        update_statistics (bool): update ``running_mean``/``running_var`` in place.

    Returns:
        Variable: of the shape of ``x``.
    """
    x = variable.as_variable(x)
    xp = x.xp
    if running_mean is None or running_var is None:
        if update_statistics:
            raise ValueError('update_statistics needs running_mean and running_var')
        return batch_normalization(x, gamma, beta, eps=eps)
    axis = compute_axis(x.ndim, gamma.ndim, None)
    dtype = _compute_dtype(x.dtype)
    xa = x.array.astype(dtype, copy=False)
    mean = xa.mean(axis=axis)
    std = xp.sqrt(xa.var(axis=axis) + dtype.type(eps))
    running_std = xp.sqrt(running_var.astype(dtype, copy=False) + dtype.type(eps))
    r = xp.clip(std / running_std, 1. / rmax, rmax).astype(x.dtype)
    d = xp.clip((mean - running_mean) / running_std, -dmax, dmax).astype(x.dtype)
    gamma = variable.as_variable(gamma)
    beta = variable.as_variable(beta)
    # With r, d constant the output is batch normalization with scale gamma * r and shift
    # gamma * d + beta, which reuses its fused forward and its (double) backward.
    kwargs = {}
    if update_statistics:
        kwargs = dict(running_mean=running_mean, running_var=running_var, decay=decay)
    return batch_normalization(x, gamma * r, gamma * d + beta, eps=eps, **kwargs)

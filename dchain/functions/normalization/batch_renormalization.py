"""Batch renormalization (``F.batch_renormalization``): batch normalization corrected toward
the running statistics."""
from dchain import variable
from dchain.utils import type_check
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
    _check_inputs(x, gamma, beta, running_mean, running_var, rmax, dmax)
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


def _check_inputs(x, gamma, beta, running_mean, running_var, rmax, dmax):
    """Raise InvalidType (shapes, dtypes) or ValueError (bounds) naming what is wrong: the
    renormalization would otherwise fail in a broadcast far from the cause, or broadcast
    silently."""
    if x.dtype.kind != 'f':
        raise type_check.InvalidType('x.dtype.kind == f', 'x.dtype = {}'.format(x.dtype))
    gshape = tuple(gamma.shape)
    if x.ndim < len(gshape) + 1 or tuple(x.shape[1:1 + len(gshape)]) != gshape:
        raise type_check.InvalidType(
            'x.shape[1:1 + gamma.ndim] == gamma.shape',
            'x.shape = {}, gamma.shape = {}'.format(tuple(x.shape), gshape))
    for name, a in (('beta', beta), ('running_mean', running_mean),
                    ('running_var', running_var)):
        if a is not None and tuple(a.shape) != gshape:
            raise type_check.InvalidType(
                '{}.shape == gamma.shape'.format(name),
                '{}.shape = {}, gamma.shape = {}'.format(name, tuple(a.shape), gshape))
    for name, a in (('gamma', gamma), ('beta', beta)):
        if a.dtype != x.dtype:
            raise type_check.InvalidType('{}.dtype == x.dtype'.format(name),
                                         '{}.dtype = {}, x.dtype = {}'.format(
                                             name, a.dtype, x.dtype))
    if not rmax >= 1:
        raise ValueError('rmax must be >= 1, got {}'.format(rmax))
    if not dmax >= 0:
        raise ValueError('dmax must be >= 0, got {}'.format(dmax))

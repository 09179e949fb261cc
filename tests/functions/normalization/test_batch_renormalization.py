"""Tests of F.batch_renormalization."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _inputs(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, (5, 3, 2)).astype(dtype)
    gamma = rng.uniform(.5, 1.5, 3).astype(dtype)
    beta = rng.uniform(-1, 1, 3).astype(dtype)
    mean = rng.uniform(-.5, .5, 3).astype(dtype)
    var = rng.uniform(.2, 2, 3).astype(dtype)
    return x, gamma, beta, mean, var


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('rmax,dmax', [(1.0, 0.0), (1.5, 0.1), (10.0, 10.0)])
def test_forward(dtype, rmax, dmax):
    x, gamma, beta, mean, var = _inputs(dtype)
    rm, rv = mean.copy(), var.copy()
    eps = 1e-3
    y = F.batch_renormalization(x, gamma, beta, rmax, dmax, eps=eps, running_mean=rm,
                                running_var=rv, decay=0.7, update_statistics=True)
    x64 = x.astype(numpy.float64)
    mu = x64.mean(axis=(0, 2))
    sigma = numpy.sqrt(x64.var(axis=(0, 2)) + eps)
    sigma_r = numpy.sqrt(var + eps)
    r = numpy.clip(sigma / sigma_r, 1 / rmax, rmax)
    d = numpy.clip((mu - mean) / sigma_r, -dmax, dmax)
    x_hat = (x64 - mu[:, None]) / sigma[:, None]
    ref = gamma[:, None] * (x_hat * r[:, None] + d[:, None]) + beta[:, None]
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == numpy.float32 else dict(rtol=1e-10)
    numpy.testing.assert_allclose(y.array, ref, **tol)
    numpy.testing.assert_allclose(rm, 0.7 * mean + 0.3 * mu, **tol)
    numpy.testing.assert_allclose(rv, 0.7 * var + 0.3 * x64.var(axis=(0, 2), ddof=1), **tol)


def test_statistics_kept_without_update():
    x, gamma, beta, mean, var = _inputs(numpy.float32)
    rm, rv = mean.copy(), var.copy()
    F.batch_renormalization(x, gamma, beta, 2.0, 1.0, running_mean=rm, running_var=rv)
    numpy.testing.assert_array_equal(rm, mean)
    numpy.testing.assert_array_equal(rv, var)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward_and_double_backward(dtype):
    x, gamma, beta, mean, var = _inputs(dtype, 1)
    rng = numpy.random.RandomState(2)
    gy = rng.uniform(-1, 1, x.shape).astype(dtype)

    def f(x, g, b):
        return F.batch_renormalization(x, g, b, 3.0, 2.0, running_mean=mean.copy(),
                                       running_var=var.copy())
    # r and d are constants of the backward pass; finite differences see them move, so the
    # check uses bounds that clip them (rmax = 1, dmax = 0 make them exactly 1 and 0).

    def f_clipped(x, g, b):
        return F.batch_renormalization(x, g, b, 1.0, 0.0, running_mean=mean.copy(),
                                       running_var=var.copy())
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else dict(atol=1e-6, rtol=1e-5)
    gradient_check.check_backward(f_clipped, (x, gamma, beta), gy, dtype=numpy.float64, **tol)
    ggs = tuple(rng.uniform(-1, 1, a.shape).astype(dtype) for a in (x, gamma, beta))
    gradient_check.check_double_backward(f_clipped, (x, gamma, beta), gy, ggs,
                                         dtype=numpy.float64, atol=1e-2, rtol=1e-2)
    if dtype == numpy.float64:
        # With unclipped r and d the gradient w.r.t. gamma and beta is still exact.
        gradient_check.check_backward(lambda g, b: f(x, g, b), (gamma, beta), gy, **tol)


def test_invalid():
    x, gamma, beta, mean, var = _inputs(numpy.float32)
    stats = dict(running_mean=mean, running_var=var)
    with pytest.raises(type_check.InvalidType, match='gamma.shape'):
        F.batch_renormalization(x, gamma[:2], beta[:2], 2.0, 1.0, **stats)
    with pytest.raises(type_check.InvalidType, match='beta.shape'):
        F.batch_renormalization(x, gamma, beta[:2], 2.0, 1.0, **stats)
    with pytest.raises(type_check.InvalidType, match='running_var.shape'):
        F.batch_renormalization(x, gamma, beta, 2.0, 1.0, running_mean=mean,
                                running_var=var[:2])
    with pytest.raises(type_check.InvalidType, match='gamma.dtype'):
        F.batch_renormalization(x, gamma.astype(numpy.float64), beta, 2.0, 1.0, **stats)
    with pytest.raises(type_check.InvalidType, match='x.dtype'):
        F.batch_renormalization(x.astype(numpy.int32), gamma, beta, 2.0, 1.0, **stats)
    with pytest.raises(type_check.InvalidType, match='x.shape'):
        F.batch_renormalization(x[:, 0], gamma, beta, 2.0, 1.0, **stats)
    with pytest.raises(ValueError, match='rmax'):
        F.batch_renormalization(x, gamma, beta, 0.5, 1.0, **stats)
    with pytest.raises(ValueError, match='dmax'):
        F.batch_renormalization(x, gamma, beta, 2.0, -1.0, **stats)
    with pytest.raises(ValueError, match='update_statistics'):
        F.batch_renormalization(x, gamma, beta, 2.0, 1.0, update_statistics=True)

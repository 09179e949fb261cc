"""Tests of F.local_response_normalization."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, n, k, alpha, beta):
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    half = n // 2
    for c in range(x.shape[1]):
        lo, hi = max(0, c - half), min(x.shape[1], c + half + 1)
        s = (x[:, lo:hi] ** 2).sum(axis=1)
        y[:, c] = x[:, c] / (k + alpha * s) ** beta
    return y


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,n', [((2, 7, 3, 2), 5), ((3, 4), 3), ((2, 3, 2), 6)])
def test_forward_backward(dtype, shape, n):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-2, 2, shape).astype(dtype)
    k, alpha, beta = 1.0, 0.3, 0.75
    y = F.local_response_normalization(x, n, k, alpha, beta)
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-5, atol=1e-6)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _reference(x, n, k, alpha, beta), **tol)
    gy = rng.uniform(-1, 1, shape).astype(dtype)
    gtol = dict(atol=5e-2, rtol=5e-2, eps=1e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-3, eps=1e-3)
    gradient_check.check_backward(lambda x: F.local_response_normalization(x, n, k, alpha, beta),
                                  x, gy, dtype=numpy.float64, **gtol)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-2, 2, (2, 5, 2)).astype(dtype)
    gy = rng.uniform(-1, 1, x.shape).astype(dtype)
    ggx = rng.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(
        lambda x: F.local_response_normalization(x, 3, 1.0, 0.3, 0.75), x, gy, ggx,
        dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.local_response_normalization(numpy.ones(3, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.local_response_normalization(numpy.ones((2, 3), numpy.int32))
    with pytest.raises(ValueError):
        F.local_response_normalization(numpy.ones((2, 3), numpy.float32), n=0)

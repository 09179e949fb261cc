"""Tests of F.layer_normalization and F.group_normalization."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

GRAD_TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2, eps=1e-2),
            numpy.float32: dict(atol=1e-3, rtol=1e-3, eps=1e-3),
            numpy.float64: dict(atol=1e-6, rtol=1e-5, eps=1e-4)}
FWD_TOL = {numpy.float16: dict(atol=3e-2, rtol=3e-2), numpy.float32: dict(atol=1e-4, rtol=1e-4),
           numpy.float64: dict(atol=1e-10, rtol=1e-10)}


def _rand(shape, dtype, seed, low=-1, high=1):
    return numpy.random.RandomState(seed).uniform(low, high, shape).astype(dtype)


def _layer_ref(x, gamma, beta, eps):
    x2 = x.reshape(len(x), -1).astype(numpy.float64)
    mu = x2.mean(axis=1, keepdims=True)
    var = x2.var(axis=1, keepdims=True)
    return ((x2 - mu) / numpy.sqrt(var + eps) * gamma + beta).reshape(x.shape)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(3, 5), (2, 3, 2)])
def test_layer_forward_backward(dtype, shape):
    n = int(numpy.prod(shape[1:]))
    x, gamma, beta = _rand(shape, dtype, 0), _rand(n, dtype, 1, .5, 1.5), _rand(n, dtype, 2)
    y = F.layer_normalization(x, gamma, beta, eps=1e-3)
    assert y.shape == shape and y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _layer_ref(x, gamma, beta, 1e-3), **FWD_TOL[dtype])
    gy = _rand(shape, dtype, 3)
    gradient_check.check_backward(lambda *a: F.layer_normalization(*a, eps=1e-3),
                                  (x, gamma, beta), gy, dtype=numpy.float64, **GRAD_TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_layer_double_backward(dtype):
    x, gamma, beta = _rand((3, 4), dtype, 0), _rand(4, dtype, 1, .5, 1.5), _rand(4, dtype, 2)
    gy = _rand((3, 4), dtype, 3)
    ggs = (_rand((3, 4), dtype, 4), _rand(4, dtype, 5), _rand(4, dtype, 6))
    tol = dict(atol=1e-2, rtol=1e-2, eps=1e-3) if dtype == numpy.float32 else \
        GRAD_TOL[numpy.float64]
    gradient_check.check_double_backward(F.layer_normalization, (x, gamma, beta), gy, ggs,
                                         dtype=numpy.float64, **tol)


def test_layer_invalid():
    x = numpy.ones((3, 4), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.layer_normalization(x, numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.layer_normalization(numpy.ones(4, numpy.float32), numpy.ones(4, numpy.float32),
                              numpy.ones(4, numpy.float32))


def _group_ref(x, groups, gamma, beta, eps):
    b, c = x.shape[:2]
    xg = x.astype(numpy.float64).reshape(b, groups, -1)
    mu = xg.mean(axis=2, keepdims=True)
    var = xg.var(axis=2, keepdims=True)
    y = ((xg - mu) / numpy.sqrt(var + eps)).reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    return y * gamma.reshape(shape) + beta.reshape(shape)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,groups', [((2, 4, 3), 2), ((2, 6, 2, 2), 3), ((3, 4), 4)])
def test_group_forward_backward(dtype, shape, groups):
    c = shape[1]
    x, gamma, beta = _rand(shape, dtype, 0), _rand(c, dtype, 1, .5, 1.5), _rand(c, dtype, 2)
    if shape == (3, 4):  # one channel per group needs spread-out values
        x = _rand(shape, dtype, 0) if dtype != numpy.float16 else x
    y = F.group_normalization(x, groups, gamma, beta, eps=1e-3)
    assert y.shape == shape and y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _group_ref(x, groups, gamma, beta, 1e-3),
                                  **FWD_TOL[dtype])
    if shape != (3, 4):
        gy = _rand(shape, dtype, 3)
        gradient_check.check_backward(
            lambda x, g, b: F.group_normalization(x, groups, g, b, eps=1e-3), (x, gamma, beta),
            gy, dtype=numpy.float64, **GRAD_TOL[dtype])


def test_group_double_backward():
    x, gamma, beta = _rand((2, 4, 3), numpy.float64, 0), _rand(4, numpy.float64, 1), \
        _rand(4, numpy.float64, 2)
    gy = _rand((2, 4, 3), numpy.float64, 3)
    ggs = (_rand((2, 4, 3), numpy.float64, 4), _rand(4, numpy.float64, 5),
           _rand(4, numpy.float64, 6))
    gradient_check.check_double_backward(lambda x, g, b: F.group_normalization(x, 2, g, b),
                                         (x, gamma, beta), gy, ggs, dtype=numpy.float64,
                                         **GRAD_TOL[numpy.float64])


def test_group_invalid():
    x = numpy.ones((2, 4, 3), numpy.float32)
    g = numpy.ones(4, numpy.float32)
    with pytest.raises(ValueError):
        F.group_normalization(x, 3, g, g)
    with pytest.raises(type_check.InvalidType):
        F.group_normalization(x, 2, g[:3], g[:3])
    with pytest.raises(type_check.InvalidType):
        F.group_normalization(x.astype(numpy.int32), 2, g, g)

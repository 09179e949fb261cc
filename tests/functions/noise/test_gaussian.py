"""Tests of F.gaussian."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_statistics(dtype):
    mean = numpy.full((200, 100), 1.5, dtype)
    ln_var = numpy.full((200, 100), numpy.log(0.25), dtype)
    y, eps = F.gaussian(mean, ln_var, return_eps=True)
    assert y.dtype == dtype and y.shape == mean.shape
    sample = y.array.astype(numpy.float64)
    assert abs(sample.mean() - 1.5) < 0.02
    assert abs(sample.std() - 0.5) < 0.015
    numpy.testing.assert_allclose(sample, 1.5 + 0.5 * eps.astype(numpy.float64), atol=1e-2)


def test_given_eps():
    mean = numpy.random.randn(3, 4).astype(numpy.float32)
    ln_var = numpy.random.randn(3, 4).astype(numpy.float32)
    eps = numpy.random.randn(3, 4).astype(numpy.float32)
    y = F.gaussian(mean, ln_var, eps=eps)
    expect = mean.astype(numpy.float64) + numpy.exp(ln_var / 2.0) * eps
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward_fixed_eps(dtype):
    mean = numpy.random.randn(3, 4).astype(dtype)
    ln_var = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    eps = numpy.random.randn(3, 4).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda m, v: F.gaussian(m, v, eps=eps), (mean, ln_var), gy,
                                  dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward_fixed_eps(dtype):
    mean = numpy.random.randn(3, 4).astype(dtype)
    ln_var = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    eps = numpy.random.randn(3, 4).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gg = (numpy.random.randn(3, 4).astype(dtype), numpy.random.randn(3, 4).astype(dtype))
    gradient_check.check_double_backward(lambda m, v: F.gaussian(m, v, eps=eps),
                                         (mean, ln_var), gy, gg, dtype=numpy.float64,
                                         **TOL[dtype])


@pytest.mark.parametrize('m_shape,v_shape,v_dtype', [
    ((3, 4), (4, 3), numpy.float32), ((3, 4), (3, 4), numpy.float64)])
def test_invalid(m_shape, v_shape, v_dtype):
    with pytest.raises(type_check.InvalidType):
        F.gaussian(numpy.zeros(m_shape, numpy.float32), numpy.zeros(v_shape, v_dtype))


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.gaussian(numpy.zeros(3, numpy.int32), numpy.zeros(3, numpy.int32))

"""Tests of F.softplus."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('beta', [1.0, 2.5, -1.0])
def test_forward(dtype, beta):
    x = numpy.random.uniform(-3, 3, (3, 4)).astype(dtype)
    y = F.softplus(x, beta=beta)
    assert y.dtype == dtype
    x64 = x.astype(numpy.float64)
    expect = numpy.log1p(numpy.exp(beta * x64)) / beta
    numpy.testing.assert_allclose(y.array, expect, rtol=5e-3, atol=5e-3)


def test_large_input_no_overflow():
    with numpy.errstate(over='raise'):
        y = F.softplus(numpy.array([1000.0, -1000.0], numpy.float32)).array
    numpy.testing.assert_allclose(y, [1000.0, 0.0])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('beta', [1.0, 2.5])
def test_backward(dtype, beta):
    x = numpy.random.uniform(-2, 2, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.softplus(x, beta), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = numpy.random.uniform(-2, 2, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(lambda x: F.softplus(x, 1.5), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.softplus(numpy.zeros(3, numpy.int32))

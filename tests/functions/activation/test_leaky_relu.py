"""Tests of F.leaky_relu."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape)
    x[numpy.abs(x) < 0.1] = 0.5
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('slope', [0.2, -0.5, 0.0])
def test_forward(dtype, slope):
    x = _input((3, 4), dtype)
    y = F.leaky_relu(x, slope=slope)
    assert y.dtype == dtype
    x64 = x.astype(numpy.float64)
    numpy.testing.assert_allclose(y.array, numpy.where(x64 >= 0, x64, slope * x64),
                                  rtol=1e-3)


def test_default_slope():
    y = F.leaky_relu(numpy.array([-1.0, 1.0], numpy.float32))
    numpy.testing.assert_allclose(y.array, [-0.2, 1.0])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('slope', [0.2, -0.5])
def test_backward(dtype, slope):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.leaky_relu(x, slope), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(lambda x: F.leaky_relu(x, 0.3), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.leaky_relu(numpy.zeros(3, numpy.int32))

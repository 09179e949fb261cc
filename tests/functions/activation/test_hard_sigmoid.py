"""Tests of F.hard_sigmoid."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype):
    x = numpy.random.uniform(-4, 4, shape)
    x[numpy.abs(numpy.abs(x) - 2.5) < 0.1] = 0.5  # away from the kinks at +-2.5
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(dtype):
    x = _input((4, 5), dtype)
    y = F.hard_sigmoid(x)
    assert y.dtype == dtype
    expect = numpy.clip(0.2 * x.astype(numpy.float64) + 0.5, 0, 1)
    numpy.testing.assert_allclose(y.array, expect, atol=1e-3)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = _input((4, 5), dtype)
    gy = numpy.random.randn(4, 5).astype(dtype)
    gradient_check.check_backward(F.hard_sigmoid, x, gy, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((4, 5), dtype)
    gy = numpy.random.randn(4, 5).astype(dtype)
    ggx = numpy.random.randn(4, 5).astype(dtype)
    gradient_check.check_double_backward(F.hard_sigmoid, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.hard_sigmoid(numpy.zeros(3, numpy.int32))

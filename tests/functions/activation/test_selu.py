"""Tests of F.selu."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

ALPHA = 1.6732632423543772848170429916717
SCALE = 1.0507009873554804934193349852946
TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype):
    x = numpy.random.uniform(-2, 2, shape)
    x[numpy.abs(x) < 0.1] = 0.5
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('alpha,scale', [(ALPHA, SCALE), (0.5, 2.0)])
def test_forward(dtype, alpha, scale):
    x = _input((3, 4), dtype)
    y = F.selu(x, alpha=alpha, scale=scale)
    assert y.dtype == dtype
    x64 = x.astype(numpy.float64)
    expect = scale * numpy.where(x64 >= 0, x64, alpha * (numpy.exp(x64) - 1))
    numpy.testing.assert_allclose(y.array, expect, rtol=2e-3, atol=2e-3)


def test_self_normalizing():
    x = numpy.random.randn(200000).astype(numpy.float64)
    y = F.selu(x).array
    assert abs(y.mean()) < 0.02 and abs(y.var() - 1) < 0.02


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(F.selu, x, gy, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(F.selu, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.selu(numpy.zeros(3, numpy.int32))

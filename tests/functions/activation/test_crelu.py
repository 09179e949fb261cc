"""Tests of F.crelu."""
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
@pytest.mark.parametrize('shape,axis', [((2, 3), 1), ((2, 3, 4), 0), ((2, 3, 4), -1)])
def test_forward(dtype, shape, axis):
    x = _input(shape, dtype)
    y = F.crelu(x, axis=axis)
    expect = numpy.concatenate([numpy.maximum(x, 0), numpy.maximum(-x, 0)], axis=axis)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, expect)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('axis', [1, 2, -3])
def test_backward(dtype, axis):
    x = _input((2, 3, 2), dtype)
    shape = list(x.shape)
    shape[axis] *= 2
    gy = numpy.random.randn(*shape).astype(dtype)
    gradient_check.check_backward(lambda x: F.crelu(x, axis), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((2, 3), dtype)
    gy = numpy.random.randn(2, 6).astype(dtype)
    ggx = numpy.random.randn(2, 3).astype(dtype)
    gradient_check.check_double_backward(F.crelu, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_invalid_axis():
    with pytest.raises(type_check.InvalidType):
        F.crelu(numpy.zeros((3,), numpy.float32))  # default axis 1


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.crelu(numpy.zeros((2, 3), numpy.int32))

"""Tests of F.log_softmax."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _reference(x, axis):
    x = x.astype(numpy.float64)
    m = x.max(axis=axis, keepdims=True)
    return x - m - numpy.log(numpy.exp(x - m).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,axis', [((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1)])
def test_forward(dtype, shape, axis):
    x = numpy.random.uniform(-3, 3, shape).astype(dtype)
    y = F.log_softmax(x, axis=axis)
    assert y.dtype == dtype and y.shape == shape
    tol = 1e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, _reference(x, axis), atol=tol, rtol=tol)


def test_large_values_are_stable():
    x = numpy.array([[1000.0, 0.0]], numpy.float32)
    y = F.log_softmax(x).array
    numpy.testing.assert_allclose(y, [[0.0, -1000.0]])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('axis', [1, 0])
def test_backward(dtype, axis):
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.log_softmax(x, axis), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(F.log_softmax, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_invalid_axis():
    with pytest.raises(type_check.InvalidType):
        F.log_softmax(numpy.zeros((2,), numpy.float32))  # default axis=1 needs ndim >= 2


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.log_softmax(numpy.zeros((2, 3), numpy.int32))

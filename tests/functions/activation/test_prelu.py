"""Tests of F.prelu."""
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


def _reference(x, W):
    shape = (1,) + W.shape + (1,) * (x.ndim - W.ndim - 1)
    w = W.reshape(shape)
    return numpy.where(x >= 0, x, x * w)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,w_shape', [((4, 3), (3,)), ((2, 3, 4), (3,)),
                                             ((2, 3, 4), (3, 4)), ((2, 3), ())])
def test_forward(dtype, x_shape, w_shape):
    x = _input(x_shape, dtype)
    W = numpy.random.uniform(-1, 1, w_shape).astype(dtype)
    y = F.prelu(x, W)
    assert y.dtype == dtype and y.shape == x_shape
    numpy.testing.assert_allclose(y.array, _reference(x, W), rtol=1e-3)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,w_shape', [((4, 3), (3,)), ((2, 3, 4), (3,)),
                                             ((2, 3, 4), (3, 4))])
def test_backward(dtype, x_shape, w_shape):
    x = _input(x_shape, dtype)
    W = numpy.random.uniform(-1, 1, w_shape).astype(dtype)
    gy = numpy.random.randn(*x_shape).astype(dtype)
    gradient_check.check_backward(F.prelu, (x, W), gy, dtype=numpy.float64, **TOL[dtype])


def test_backward_scalar_slope():
    x = _input((3, 4), numpy.float64)
    gy = numpy.random.randn(3, 4)
    gradient_check.check_backward(F.prelu, (x, numpy.array(0.3)), gy, dtype=numpy.float64)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((2, 3, 4), dtype)
    W = numpy.random.uniform(-1, 1, (3,)).astype(dtype)
    gy = numpy.random.randn(2, 3, 4).astype(dtype)
    ggx = numpy.random.randn(2, 3, 4).astype(dtype)
    ggw = numpy.random.randn(3).astype(dtype)
    gradient_check.check_double_backward(F.prelu, (x, W), gy, (ggx, ggw),
                                         dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('x_shape,w_shape,w_dtype', [
    ((4, 3), (4,), numpy.float32),       # W does not match axis 1
    ((4, 3), (3, 1), numpy.float32),     # W has too many axes
    ((4, 3), (3,), numpy.float64),       # dtype mismatch
])
def test_invalid(x_shape, w_shape, w_dtype):
    with pytest.raises(type_check.InvalidType):
        F.prelu(numpy.zeros(x_shape, numpy.float32), numpy.zeros(w_shape, w_dtype))

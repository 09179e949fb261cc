"""Tests of F.swish."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _reference(x, beta):
    x = x.astype(numpy.float64)
    b = beta.astype(numpy.float64).reshape((1,) + beta.shape + (1,) * (x.ndim - beta.ndim - 1))
    return x / (1 + numpy.exp(-b * x))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,beta_shape', [((4, 3), (3,)), ((2, 3, 4), (3,)),
                                                ((2, 3, 4), (3, 4))])
def test_forward(dtype, x_shape, beta_shape):
    x = numpy.random.uniform(-2, 2, x_shape).astype(dtype)
    beta = numpy.random.uniform(-2, 2, beta_shape).astype(dtype)
    y = F.swish(x, beta)
    assert y.dtype == dtype
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(y.array, _reference(x, beta), atol=tol, rtol=tol)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,beta_shape', [((4, 3), (3,)), ((2, 3, 4), (3, 4))])
def test_backward(dtype, x_shape, beta_shape):
    x = numpy.random.uniform(-2, 2, x_shape).astype(dtype)
    beta = numpy.random.uniform(-2, 2, beta_shape).astype(dtype)
    gy = numpy.random.randn(*x_shape).astype(dtype)
    gradient_check.check_backward(F.swish, (x, beta), gy, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = numpy.random.uniform(-2, 2, (2, 3, 4)).astype(dtype)
    beta = numpy.random.uniform(-2, 2, (3,)).astype(dtype)
    gy = numpy.random.randn(2, 3, 4).astype(dtype)
    ggx = numpy.random.randn(2, 3, 4).astype(dtype)
    ggb = numpy.random.randn(3).astype(dtype)
    gradient_check.check_double_backward(F.swish, (x, beta), gy, (ggx, ggb),
                                         dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('x_shape,beta_shape,beta_dtype', [
    ((4, 3), (4,), numpy.float32), ((4,), (4,), numpy.float32), ((4, 3), (3,), numpy.float64)])
def test_invalid(x_shape, beta_shape, beta_dtype):
    with pytest.raises(type_check.InvalidType):
        F.swish(numpy.zeros(x_shape, numpy.float32), numpy.zeros(beta_shape, beta_dtype))

"""F.mean_squared_error: value against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: 5e-2, numpy.float32: 1e-4, numpy.float64: 1e-7}


def _inputs(dtype, shape=(4, 3)):
    rng = numpy.random.RandomState(0)
    return rng.randn(*shape).astype(dtype), rng.randn(*shape).astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(dtype):
    x0, x1 = _inputs(dtype)
    y = F.mean_squared_error(x0, x1)
    assert y.dtype == dtype and y.shape == ()
    d = x0.astype(numpy.float64) - x1.astype(numpy.float64)
    numpy.testing.assert_allclose(y.array, (d ** 2).sum() / d.size, rtol=TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x0, x1 = _inputs(dtype)
    eps = 1e-1 if dtype == numpy.float16 else 1e-3
    gradient_check.check_backward(F.mean_squared_error, (x0, x1), None, dtype=numpy.float64,
                                  atol=TOL[dtype], rtol=TOL[dtype], eps=eps)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x0, x1 = _inputs(dtype)
    rng = numpy.random.RandomState(1)
    gy = numpy.asarray(rng.randn(), dtype)
    ggx = (rng.randn(*x0.shape).astype(dtype), rng.randn(*x1.shape).astype(dtype))
    gradient_check.check_double_backward(F.mean_squared_error, (x0, x1), gy, ggx,
                                         dtype=numpy.float64, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize('a,b', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.float32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64)),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32)),
])
def test_invalid_type(a, b):
    with pytest.raises(type_check.InvalidType):
        F.mean_squared_error(a, b)

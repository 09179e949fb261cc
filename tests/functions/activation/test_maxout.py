"""Tests of F.maxout."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype):
    # A permutation keeps every group's maximum unique and well separated.
    x = numpy.random.permutation(numpy.prod(shape)).reshape(shape) * 0.1 - 1
    return x.astype(dtype)


def _reference(x, pool_size, axis):
    axis %= x.ndim
    out = []
    n = x.shape[axis] // pool_size
    for m in range(n):
        idx = [slice(None)] * x.ndim
        idx[axis] = slice(m * pool_size, (m + 1) * pool_size)
        out.append(x[tuple(idx)].max(axis=axis))
    return numpy.stack(out, axis=axis)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,pool_size,axis', [
    ((2, 6), 3, 1), ((2, 6), 2, 1), ((4, 3, 2), 2, 0), ((2, 3, 4), 4, -1), ((2, 4), 1, 1)])
def test_forward(dtype, shape, pool_size, axis):
    x = _input(shape, dtype)
    y = F.maxout(x, pool_size, axis)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, _reference(x, pool_size, axis))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = _input((2, 6, 2), dtype)
    gy = numpy.random.randn(2, 2, 2).astype(dtype)
    gradient_check.check_backward(lambda x: F.maxout(x, 3), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])


def test_gradient_goes_to_the_maximum():
    import dchain
    x = dchain.Variable(numpy.array([[1.0, 5.0, 3.0, 2.0]], numpy.float32))
    F.sum(F.maxout(x, 2)).backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 1, 1, 0]])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((2, 6), dtype)
    gy = numpy.random.randn(2, 3).astype(dtype)
    ggx = numpy.random.randn(2, 6).astype(dtype)
    gradient_check.check_double_backward(lambda x: F.maxout(x, 2), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_not_divisible():
    with pytest.raises(type_check.InvalidType):
        F.maxout(numpy.zeros((2, 5), numpy.float32), 2)


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.maxout(numpy.zeros((2, 4), numpy.int32), 2)


@pytest.mark.parametrize('pool_size', [0, -1])
def test_invalid_pool_size(pool_size):
    with pytest.raises(ValueError):
        F.maxout(numpy.zeros((2, 4), numpy.float32), pool_size)

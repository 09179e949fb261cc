"""F.mean and F.average: values against numpy, gradients, bad axes and weights."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _lift(f):
    """``f`` with a 0-d output made (1,): gradient_check cannot perturb 0-d arrays."""
    def g(*xs):
        y = f(*xs)
        return F.reshape(y, (1,)) if y.ndim == 0 else y
    return g


def _lift_shape(shape):
    return shape if shape else (1,)

AXES = [None, 0, 1, -1, (0, 2), (2, 0, 1)]


@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_mean_forward(axis, keepdims, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.mean(x, axis=axis, keepdims=keepdims)
    expect = x.astype(numpy.float64).mean(axis=axis, keepdims=keepdims)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-3 if dtype == numpy.float16 else 1e-7)


@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_mean_gradients(axis, keepdims, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    gy = numpy.random.uniform(
        -1, 1, _lift_shape(x.mean(axis=axis, keepdims=keepdims).shape)).astype(dtype)
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)

    @_lift
    def f(x):
        return F.mean(x, axis=axis, keepdims=keepdims)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, atol=1e-4, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64)


def test_mean_float16_gradient():
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float16)
    gy = numpy.random.uniform(-1, 1, (4,)).astype(numpy.float16)
    gradient_check.check_backward(lambda x: F.mean(x, axis=0), x, gy, dtype=numpy.float64,
                                  atol=5e-2, rtol=5e-2)


def test_mean_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.mean(numpy.zeros((2, 3), numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.mean(numpy.zeros((2, 3), numpy.float32), axis=2)
    with pytest.raises(ValueError):
        F.mean(numpy.zeros((2, 3), numpy.float32), axis=(1, 1))
    with pytest.raises(TypeError):
        F.mean(numpy.zeros((2, 3), numpy.float32), axis=1.5)


@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@pytest.mark.parametrize('keepdims', [False, True])
def test_average_weighted(axis, keepdims):
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float64)
    w_shape = x.shape if axis is None else (x.shape[axis],)
    w = numpy.random.uniform(0.5, 1.5, w_shape)
    y = F.average(x, axis=axis, weights=w, keepdims=keepdims)
    expect = numpy.average(x, axis=axis, weights=w)
    if keepdims:
        expect = numpy.asarray(expect).reshape(x.mean(axis=axis, keepdims=True).shape)
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-12)
    gy = numpy.random.uniform(-1, 1, _lift_shape(y.shape))

    @_lift
    def f(x, w):
        return F.average(x, axis=axis, weights=w, keepdims=keepdims)
    gradient_check.check_backward(f, (x, w), gy, dtype=numpy.float64)
    gradient_check.check_double_backward(
        f, (x, w), gy, (numpy.random.uniform(-1, 1, x.shape),
                        numpy.random.uniform(-1, 1, w.shape)), dtype=numpy.float64)


def test_average_returned():
    x = numpy.random.uniform(-1, 1, (3, 4))
    w = numpy.random.uniform(0.5, 1.5, (4,))
    y, s = F.average(x, axis=1, weights=w, returned=True)
    ey, es = numpy.average(x, axis=1, weights=w, returned=True)
    numpy.testing.assert_allclose(y.array, ey)
    numpy.testing.assert_allclose(s.array, es)
    y, s = F.average(x, axis=0, returned=True)
    numpy.testing.assert_allclose(y.array, x.mean(axis=0))
    numpy.testing.assert_allclose(s.array, numpy.full((4,), 3.0))


def test_average_unweighted_is_mean():
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float32)
    numpy.testing.assert_allclose(F.average(x, axis=1).array, x.mean(axis=1), rtol=1e-6)


def test_average_bad_weights():
    x = numpy.zeros((3, 4), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.average(x, axis=1, weights=numpy.ones((3,), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.average(x, weights=numpy.ones((4,), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.average(x, axis=0, weights=numpy.ones((3,), numpy.float64))
    with pytest.raises(ValueError):
        F.average(x, axis=(0, 1), weights=numpy.ones((3,), numpy.float32))

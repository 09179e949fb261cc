"""F.sum, F.sum_to, n-ary F.add and F.identity: values, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import Variable
from dchain import gradient_check
from dchain.utils import type_check


def _tol(dtype):
    if dtype == numpy.float16:
        return {'atol': 5e-2, 'rtol': 5e-2}
    return {'atol': 1e-4, 'rtol': 1e-3} if dtype == numpy.float32 else {}


@pytest.mark.parametrize('axis', [None, 0, -1, (0, 2), (2, 1)])
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_sum(axis, keepdims, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.sum(x, axis=axis, keepdims=keepdims)
    expect = x.astype(numpy.float64).sum(axis=axis, keepdims=keepdims)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=2e-2 if dtype == numpy.float16 else 1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(x):
        return F.reshape(F.sum(x, axis=axis, keepdims=keepdims), shape)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            f, x, gy, numpy.random.uniform(-1, 1, x.shape).astype(dtype), dtype=numpy.float64)


def test_sum_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.sum(numpy.ones((2, 3), numpy.float32), axis=2)
    with pytest.raises(ValueError):
        F.sum(numpy.ones((2, 3), numpy.float32), axis=(0, 0))
    with pytest.raises(TypeError):
        F.sum(numpy.ones((2, 3), numpy.float32), axis='0')


@pytest.mark.parametrize('x_shape,shape', [((2, 3, 4), (3, 4)), ((2, 3, 4), (1, 4)),
                                           ((2, 3, 4), (2, 1, 1)), ((3, 4), (3, 4)),
                                           ((3, 4), ())])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_sum_to(x_shape, shape, dtype):
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    y = F.sum_to(x, shape)
    lead = len(x_shape) - len(shape)
    expect = x.astype(numpy.float64).sum(axis=tuple(range(lead)))
    expect = expect.sum(axis=tuple(i for i, s in enumerate(shape) if s == 1), keepdims=True) \
        if shape else expect
    assert y.shape == shape and y.dtype == dtype
    numpy.testing.assert_allclose(y.array, expect.reshape(shape), rtol=1e-5)
    out_shape = shape or (1,)
    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)

    def f(x):
        return F.reshape(F.sum_to(x, shape), out_shape)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(
        f, x, gy, numpy.random.uniform(-1, 1, x_shape).astype(dtype), dtype=numpy.float64)


def test_sum_to_bad_shape():
    with pytest.raises(type_check.InvalidType):
        F.sum_to(numpy.ones((2, 3), numpy.float32), (4,))
    with pytest.raises(type_check.InvalidType):
        F.sum_to(numpy.ones((3,), numpy.float32), (2, 3))


@pytest.mark.parametrize('shapes', [[(3, 4)] * 2, [(3, 4)] * 4, [(3, 4), (4,), (3, 1)]])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_add_n_ary(shapes, dtype):
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    y = F.add(*xs)
    expect = sum(x.astype(numpy.float64) for x in xs)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    gy = numpy.random.uniform(-1, 1, expect.shape).astype(dtype)
    gradient_check.check_backward(F.add, xs, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype != numpy.float16:
        ggs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
        gradient_check.check_double_backward(F.add, xs, gy, ggs, dtype=numpy.float64)


def test_add_bad_inputs():
    a = numpy.ones((2, 3), numpy.float32)
    with pytest.raises(TypeError):
        F.add(a)
    with pytest.raises(type_check.InvalidType):
        F.add(a, a, numpy.ones((3, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.add(a, a.astype(numpy.float64))


def test_identity():
    a = numpy.random.rand(2, 3)
    b = numpy.random.rand(3)
    x = Variable(a)
    y = F.identity(x)
    assert y is not x
    numpy.testing.assert_array_equal(y.array, a)
    ys = F.identity(a, b)
    assert len(ys) == 2
    gradient_check.check_backward(lambda x, y: F.identity(x, y), (a, b),
                                  (numpy.random.rand(2, 3), numpy.random.rand(3)))
    assert F.identity is __import__('dchain.functions.math', fromlist=['identity']).identity

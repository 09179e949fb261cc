"""F.maximum and F.minimum: values, broadcasting, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3))]


@pytest.mark.parametrize('func,ref', [(F.maximum, numpy.maximum), (F.minimum, numpy.minimum)])
@pytest.mark.parametrize('shapes', SHAPES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(func, ref, shapes, dtype):
    x1 = numpy.asarray(numpy.random.uniform(-1, 1, shapes[0]), dtype)
    x2 = numpy.asarray(numpy.random.uniform(-1, 1, shapes[1]), dtype)
    y = func(x1, x2)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, ref(x1, x2))


@pytest.mark.parametrize('func', [F.maximum, F.minimum])
@pytest.mark.parametrize('shapes', [((3, 4), (3, 4)), ((3, 4), (4,))])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_gradients(func, shapes, dtype):
    x1 = numpy.asarray(numpy.random.uniform(-1, 1, shapes[0]), dtype)
    # x2 is a grid of values, x1 is kept 0.05 away from each of them.
    x2 = numpy.asarray(numpy.random.uniform(-1, 1, shapes[1]), dtype)
    d = x1 - x2
    x1 = numpy.where(numpy.abs(d) < 0.05, x1 + 0.1, x1).astype(dtype)
    gy = numpy.random.uniform(-1, 1, shapes[0]).astype(dtype)
    gradient_check.check_backward(func, (x1, x2), gy, dtype=numpy.float64, eps=1e-3,
                                  atol=1e-4, rtol=1e-3)
    ggs = (numpy.random.uniform(-1, 1, shapes[0]).astype(dtype),
           numpy.random.uniform(-1, 1, shapes[1]).astype(dtype))
    gradient_check.check_double_backward(func, (x1, x2), gy, ggs, dtype=numpy.float64)


def test_tie_gradient_goes_to_first():
    from dchain import Variable
    a = Variable(numpy.array([1., 2.], numpy.float32))
    b = Variable(numpy.array([1., 3.], numpy.float32))
    F.sum(F.maximum(a, b)).backward()
    numpy.testing.assert_array_equal(a.grad, [1, 0])
    numpy.testing.assert_array_equal(b.grad, [0, 1])


@pytest.mark.parametrize('func', [F.maximum, F.minimum])
def test_bad_inputs(func):
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64))
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32))

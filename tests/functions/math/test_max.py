"""F.max, F.min, F.argmax, F.argmin: values, gradients (ties included), bad inputs."""
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

AXES = [None, 0, 1, -1, (0, 2)]


def _distinct(shape, dtype):
    # A permutation keeps elements apart, so max/min are differentiable everywhere checked.
    x = numpy.random.permutation(numpy.prod(shape)).reshape(shape) * 0.1 - 1
    return x.astype(dtype)


@pytest.mark.parametrize('func,ref', [(F.max, numpy.max), (F.min, numpy.min)])
@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(func, ref, axis, keepdims, dtype):
    x = _distinct((2, 3, 4), dtype)
    y = func(x, axis=axis, keepdims=keepdims)
    expect = ref(x, axis=axis, keepdims=keepdims)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, expect)


@pytest.mark.parametrize('func', [F.max, F.min])
@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_gradients(func, axis, keepdims, dtype):
    x = _distinct((2, 3, 4), dtype)
    y_shape = _lift_shape(numpy.max(x, axis=axis, keepdims=keepdims).shape)
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)

    @_lift
    def f(x):
        return func(x, axis=axis, keepdims=keepdims)
    # eps well below the 0.1 gap between elements keeps the argmax fixed.
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, eps=1e-3, **tol)
    if dtype != numpy.float16:
        ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
        gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64, eps=1e-3)


def test_max_gradient_goes_to_the_maximum():
    x = numpy.array([[1., 5., 2.], [7., 0., 3.]], numpy.float32)
    v = F.max(x, axis=1)
    from dchain import Variable
    xv = Variable(x)
    y = F.sum(F.max(xv, axis=1) * numpy.array([2., 3.], numpy.float32))
    y.backward()
    numpy.testing.assert_array_equal(xv.grad, [[0, 2, 0], [3, 0, 0]])
    numpy.testing.assert_array_equal(v.array, [5, 7])


@pytest.mark.parametrize('func,ref', [(F.argmax, numpy.argmax), (F.argmin, numpy.argmin)])
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
def test_arg(func, ref, axis):
    x = _distinct((3, 4), numpy.float32)
    y = func(x, axis=axis)
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, ref(x, axis=axis))


def test_arg_has_no_gradient():
    from dchain import Variable
    x = Variable(_distinct((3, 4), numpy.float32))
    y = F.argmax(x, axis=1)
    loss = F.sum(F.max(x, axis=1))
    loss.backward()
    assert y.array.shape == (3,)
    assert x.grad is not None


@pytest.mark.parametrize('func', [F.max, F.min, F.argmax, F.argmin])
def test_bad_inputs(func):
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.int32))
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.float32), axis=2)
    with pytest.raises(TypeError):
        func(numpy.zeros((2, 3), numpy.float32), axis='0')

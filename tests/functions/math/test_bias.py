"""F.bias and F.scale: broadcasting along axes, gradients for both inputs, bad shapes."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _expand(x, y, axis):
    axis %= x.ndim
    return y.reshape((1,) * axis + y.shape + (1,) * (x.ndim - axis - y.ndim))


@pytest.mark.parametrize('func,op', [(F.bias, numpy.add), (F.scale, numpy.multiply)])
@pytest.mark.parametrize('x_shape,y_shape,axis', [
    ((2, 3, 4), (3,), 1), ((2, 3, 4), (3, 4), 1), ((2, 3, 4), (2,), 0),
    ((2, 3, 4), (4,), 2), ((2, 3, 4), (4,), -1), ((2, 3, 4), (2, 3, 4), 0)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_values_and_gradients(func, op, x_shape, y_shape, axis, dtype):
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    y = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    z = func(x, y, axis)
    assert z.dtype == dtype
    numpy.testing.assert_allclose(z.array, op(x, _expand(x, y, axis)), rtol=1e-6)
    gz = numpy.random.uniform(-1, 1, x_shape).astype(dtype)

    def f(x, y):
        return func(x, y, axis)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, (x, y), gz, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            f, (x, y), gz, (numpy.random.uniform(-1, 1, x_shape),
                            numpy.random.uniform(-1, 1, y_shape)), dtype=numpy.float64)


def test_default_axis_is_one():
    x = numpy.random.rand(2, 3, 4)
    y = numpy.random.rand(3)
    numpy.testing.assert_allclose(F.scale(x, y).array, x * y[:, None])
    numpy.testing.assert_allclose(F.bias(x, y).array, x + y[:, None])


@pytest.mark.parametrize('func', [F.bias, F.scale])
def test_bad_inputs(func):
    x = numpy.ones((2, 3, 4), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        func(x, numpy.ones(4, numpy.float32), 1)
    with pytest.raises(type_check.InvalidType):
        func(x, numpy.ones((3, 4, 5), numpy.float32), 1)
    with pytest.raises(type_check.InvalidType):
        func(x, numpy.ones(3, numpy.float64), 1)
    with pytest.raises(TypeError):
        func(x, numpy.ones(3, numpy.float32), 1.0)

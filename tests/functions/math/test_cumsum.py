"""F.cumsum and F.cumprod: values against numpy, gradients (zeros included), bad axes."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('func,ref', [(F.cumsum, numpy.cumsum), (F.cumprod, numpy.cumprod)])
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_values_and_gradients(func, ref, axis, dtype):
    x = numpy.random.uniform(0.5, 1.5, (2, 3, 4)) * numpy.random.choice([-1, 1], (2, 3, 4))
    x = x.astype(dtype)
    y = func(x, axis=axis)
    expect = ref(x.astype(numpy.float64), axis=axis)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)

    def f(x):
        return func(x, axis=axis)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
        gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64, atol=1e-3,
                                             rtol=1e-2)


@pytest.mark.parametrize('axis', [None, 0, 1])
def test_cumprod_gradient_with_zeros(axis):
    x = numpy.random.uniform(0.5, 1.5, (3, 5))
    x[0, 1] = x[1, 0] = x[1, 3] = x[2, 4] = 0
    gy = numpy.random.uniform(-1, 1, numpy.cumprod(x, axis=axis).shape)
    gradient_check.check_backward(lambda x: F.cumprod(x, axis=axis), x, gy,
                                  dtype=numpy.float64)


@pytest.mark.parametrize('func', [F.cumsum, F.cumprod])
def test_bad_inputs(func):
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.float32), axis=2)
    with pytest.raises(type_check.InvalidType):
        func(numpy.zeros((2, 3), numpy.int32))
    with pytest.raises(TypeError):
        func(numpy.zeros((2, 3), numpy.float32), axis=(0, 1))

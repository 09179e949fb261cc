"""F.prod: values against numpy, gradients with and without zeros, bad axes."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('axis', [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_prod(axis, keepdims, dtype):
    x = numpy.random.uniform(0.5, 1.5, (2, 3, 4)) * numpy.random.choice([-1, 1], (2, 3, 4))
    x = x.astype(dtype)
    y = F.prod(x, axis=axis, keepdims=keepdims)
    expect = x.astype(numpy.float64).prod(axis=axis, keepdims=keepdims)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(x):
        return F.reshape(F.prod(x, axis=axis, keepdims=keepdims), shape)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
        gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64, atol=1e-3,
                                             rtol=1e-2)


@pytest.mark.parametrize('axis', [None, 0, 1])
def test_gradient_with_zeros(axis):
    # Row 0 has one zero, row 1 two, row 2 none.
    x = numpy.random.uniform(0.5, 1.5, (3, 4))
    x[0, 1] = x[1, 0] = x[1, 3] = 0
    shape = numpy.prod(x, axis=axis).shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape)
    gradient_check.check_backward(lambda x: F.reshape(F.prod(x, axis=axis), shape), x, gy,
                                  dtype=numpy.float64)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.prod(numpy.zeros((2, 3), numpy.float32), axis=-3)
    with pytest.raises(type_check.InvalidType):
        F.prod(numpy.zeros((2, 3), numpy.int64))

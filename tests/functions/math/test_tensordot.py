"""F.tensordot: every form of axes against numpy, gradients, shape mismatches."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

CASES = [
    ((3, 4), (4, 5), 1),
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3, 4), (4, 3, 5), ([1, 2], [1, 0])),
    ((2, 3), (4, 5), 0),
    ((2, 3, 4), (5, 3), ((1,), (1,))),
    ((3, 4), (3, 4), 2),
]


@pytest.mark.parametrize('a_shape,b_shape,axes', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_tensordot(a_shape, b_shape, axes, dtype):
    a = numpy.random.uniform(-1, 1, a_shape).astype(dtype)
    b = numpy.random.uniform(-1, 1, b_shape).astype(dtype)
    y = F.tensordot(a, b, axes=axes)
    expect = numpy.tensordot(a.astype(numpy.float64), b.astype(numpy.float64), axes)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(a, b):
        return F.reshape(F.tensordot(a, b, axes=axes), shape)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            f, (a, b), gy, (numpy.random.uniform(-1, 1, a_shape),
                            numpy.random.uniform(-1, 1, b_shape)), dtype=numpy.float64)


def test_default_axes_is_two():
    a = numpy.random.rand(2, 3, 4)
    b = numpy.random.rand(3, 4, 2)
    numpy.testing.assert_allclose(F.tensordot(a, b).array, numpy.tensordot(a, b))


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.tensordot(numpy.ones((2, 3), numpy.float32), numpy.ones((4, 5), numpy.float32), 1)
    with pytest.raises(type_check.InvalidType):
        F.tensordot(numpy.ones((2, 3), numpy.float32), numpy.ones((3, 5), numpy.float64), 1)
    with pytest.raises(ValueError):
        F.tensordot(numpy.ones((2, 3), numpy.float32), numpy.ones((3, 5), numpy.float32), 3)

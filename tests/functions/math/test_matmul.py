"""F.matmul: matrices, vectors, broadcast batches, transposes; gradients; bad shapes."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _op(x, trans):
    return x.swapaxes(-1, -2) if trans and x.ndim >= 2 else x


@pytest.mark.parametrize('a_shape,b_shape,transa,transb', [
    ((3, 4), (4, 5), False, False),
    ((4, 3), (4, 5), True, False),
    ((3, 4), (5, 4), False, True),
    ((4, 3), (5, 4), True, True),
    ((4,), (4, 5), False, False),
    ((3, 4), (4,), False, False),
    ((4,), (4,), False, False),
    ((2, 3, 4), (4, 5), False, False),
    ((2, 1, 3, 4), (3, 4, 5), False, False),
    ((2, 4, 3), (2, 5, 4), True, True),
])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_matmul(a_shape, b_shape, transa, transb, dtype):
    a = numpy.random.uniform(-1, 1, a_shape).astype(dtype)
    b = numpy.random.uniform(-1, 1, b_shape).astype(dtype)
    y = F.matmul(a, b, transa=transa, transb=transb)
    expect = numpy.matmul(_op(a.astype(numpy.float64), transa),
                          _op(b.astype(numpy.float64), transb))
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(a, b):
        return F.reshape(F.matmul(a, b, transa=transa, transb=transb), shape)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            f, (a, b), gy, (numpy.random.uniform(-1, 1, a_shape),
                            numpy.random.uniform(-1, 1, b_shape)), dtype=numpy.float64)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.matmul(numpy.ones((2, 3), numpy.float32), numpy.ones((2, 3), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.matmul(numpy.ones((2, 3), numpy.float32), numpy.ones((3, 2), numpy.float64))
    with pytest.raises(type_check.InvalidType):
        F.matmul(numpy.ones((), numpy.float32), numpy.ones((3, 2), numpy.float32))

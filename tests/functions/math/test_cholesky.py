"""F.cholesky: factor reproduces the matrix, gradients (also through a = b b^T), errors."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _spd(n, dtype):
    b = numpy.random.uniform(-1, 1, (n, n))
    return (b @ b.T + n * numpy.eye(n)).astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_cholesky(dtype):
    a = _spd(4, dtype)
    L = F.cholesky(a)
    assert L.dtype == dtype
    La = L.array.astype(numpy.float64)
    numpy.testing.assert_array_equal(numpy.triu(La, 1), 0)
    numpy.testing.assert_allclose(La @ La.T, a, rtol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-5)
    gy = numpy.random.uniform(-1, 1, (4, 4)).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.cholesky, a, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            F.cholesky, a, gy, numpy.random.uniform(-1, 1, (4, 4)).astype(dtype),
            dtype=numpy.float64, atol=1e-3, rtol=1e-2)


def test_gradient_through_symmetric_product():
    b = numpy.random.uniform(-1, 1, (3, 3)) + 2 * numpy.eye(3)

    def f(b):
        return F.cholesky(F.matmul(b, b, transb=True))
    gradient_check.check_backward(f, b, numpy.random.uniform(-1, 1, (3, 3)))


def test_errors():
    with pytest.raises(ValueError):
        F.cholesky(-numpy.eye(3))
    with pytest.raises(type_check.InvalidType):
        F.cholesky(numpy.ones((2, 3)))
    with pytest.raises(type_check.InvalidType):
        F.cholesky(numpy.ones((2, 2, 2)))

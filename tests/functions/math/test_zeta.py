"""F.zeta (Hurwitz): values against direct summation, identities, gradients, bad inputs."""
import math

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _direct(s, q, terms=200000):
    # Partial sum plus the integral of the tail: error O(terms^-s-1), fine for s >= 2.
    k = numpy.arange(terms, dtype=numpy.float64)
    n = q + terms
    return ((q + k) ** -s).sum() + n ** (1 - s) / (s - 1) + 0.5 * n ** -s


def test_values():
    for s, q in [(2.0, 1.0), (3.0, 0.5), (2.5, 3.7), (4.0, 0.2)]:
        y = F.zeta(numpy.array([s]), numpy.array([q])).array[0]
        numpy.testing.assert_allclose(y, _direct(s, q), rtol=1e-10)
    numpy.testing.assert_allclose(F.zeta(2.0, numpy.array([1.0])).array, [math.pi ** 2 / 6],
                                  rtol=1e-14)
    y = F.zeta(numpy.array([1.0, 0.5, 2.0]), numpy.array([1.0, 1.0, -1.0])).array
    assert y[0] == numpy.inf and numpy.isnan(y[1]) and numpy.isnan(y[2])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_gradients(dtype):
    x = numpy.random.uniform(1.5, 4, (2, 3)).astype(dtype)
    q = numpy.random.uniform(0.5, 3, (2, 3)).astype(dtype)
    y = F.zeta(x, q)
    assert y.dtype == dtype
    gy = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)

    def f(q):
        return F.zeta(x.astype(q.dtype), q)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, q, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            f, q, gy, numpy.random.uniform(-1, 1, (2, 3)).astype(dtype), dtype=numpy.float64,
            atol=1e-3, rtol=1e-2)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.zeta(numpy.ones(3, numpy.float64), numpy.ones(3, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.zeta(numpy.ones(3, numpy.float32), numpy.ones(4, numpy.float32))

"""erf, erfc, erfinv, erfcinv, erfcx, ndtr, log_ndtr, ndtri, lgamma, digamma, polygamma
against references from Python's math module (and identities where it has none), gradients,
bad inputs."""
import math

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

_erf = numpy.vectorize(math.erf)
_erfc = numpy.vectorize(math.erfc)
_lgamma = numpy.vectorize(math.lgamma)


def _digamma_reference(x):
    # Central difference of math.lgamma: accurate to ~1e-9 at these arguments.
    h = 1e-5
    return (_lgamma(x + h) - _lgamma(x - h)) / (2 * h)


def test_erf_erfc_float64_accuracy():
    x = numpy.concatenate([numpy.linspace(-6, 6, 2001), numpy.linspace(-27, 27, 541)])
    numpy.testing.assert_allclose(F.erf(x).array, _erf(x), rtol=1e-12, atol=1e-300)
    numpy.testing.assert_allclose(F.erfc(x).array, _erfc(x), rtol=1e-12, atol=1e-300)


def test_erfinv_inverts_erf():
    y = numpy.concatenate([numpy.linspace(-0.999, 0.999, 999), 1 - numpy.logspace(-12, -1, 12),
                           -1 + numpy.logspace(-12, -1, 12)])
    x = F.erfinv(y).array
    numpy.testing.assert_allclose(_erf(x), y, rtol=1e-13, atol=1e-15)
    # In the tails erfc carries the information: 1 - y must come back.
    tail = 1 - numpy.logspace(-12, -1, 12)
    numpy.testing.assert_allclose(_erfc(F.erfinv(tail).array), 1 - tail, rtol=1e-9)


def test_erfinv_edges():
    y = F.erfinv(numpy.array([1., -1., 0., 1.5, -2.])).array
    assert y[0] == numpy.inf and y[1] == -numpy.inf and y[2] == 0
    assert numpy.isnan(y[3]) and numpy.isnan(y[4])


def test_erfcinv_inverts_erfc():
    y = numpy.concatenate([numpy.logspace(-300, -1, 60), numpy.linspace(0.01, 1.99, 199),
                           2 - numpy.logspace(-12, -1, 12)])
    x = F.erfcinv(y).array
    # erfc amplifies a relative error d of x into about 2 x^2 d (x^2 < 700 here).
    numpy.testing.assert_allclose(_erfc(x), y, rtol=1e-10)
    edges = F.erfcinv(numpy.array([0., 2., 1., -0.5, 2.5])).array
    assert edges[0] == numpy.inf and edges[1] == -numpy.inf and edges[2] == 0
    assert numpy.isnan(edges[3]) and numpy.isnan(edges[4])


def test_erfcx():
    x = numpy.linspace(-5, 5, 101)
    numpy.testing.assert_allclose(F.erfcx(x).array, numpy.exp(x * x) * _erfc(x), rtol=1e-12)
    # Far out, erfcx(x) ~ 1 / (sqrt(pi) x) (1 - 1 / (2 x^2) + 3 / (4 x^4)).
    x = numpy.array([1e3, 1e8, 1e100])
    inv2 = (1 / x) ** 2
    approx = 1 / (math.sqrt(math.pi) * x) * (1 - inv2 / 2 + 0.75 * inv2 * inv2)
    numpy.testing.assert_allclose(F.erfcx(x).array, approx, rtol=1e-12)


def test_ndtr_family():
    x = numpy.linspace(-8, 8, 161)
    cdf = 0.5 * _erfc(-x / math.sqrt(2))
    numpy.testing.assert_allclose(F.ndtr(x).array, cdf, rtol=1e-12)
    # Near cdf = 1, log1p of the upper tail is the accurate reference.
    log_cdf = numpy.where(x > 0, numpy.log1p(-0.5 * _erfc(x / math.sqrt(2))), numpy.log(cdf))
    numpy.testing.assert_allclose(F.log_ndtr(x).array, log_cdf, rtol=1e-12)
    # Deep in the lower tail log ndtr(x) ~ -x^2 / 2 - log(-x sqrt(2 pi)); still finite.
    x = numpy.array([-40., -1000.])
    approx = -x * x / 2 - numpy.log(-x * math.sqrt(2 * math.pi)) - 1 / (x * x)
    numpy.testing.assert_allclose(F.log_ndtr(x).array, approx, rtol=1e-6)
    p = numpy.concatenate([numpy.logspace(-200, -1, 40), numpy.linspace(0.05, 0.95, 19)])
    numpy.testing.assert_allclose(0.5 * _erfc(-F.ndtri(p).array / math.sqrt(2)), p, rtol=1e-10)
    assert F.ndtri(numpy.array([0.5])).array[0] == 0
    assert F.ndtri(numpy.array([0.])).array[0] == -numpy.inf


def test_lgamma_accuracy():
    x = numpy.concatenate([numpy.linspace(0.01, 40, 4001), numpy.linspace(-9.95, -0.05, 100),
                           numpy.logspace(-8, 2, 50)])
    numpy.testing.assert_allclose(F.lgamma(x).array, _lgamma(x), rtol=1e-10, atol=1e-13)


def test_lgamma_near_its_zeros():
    # lgamma(1 + e) ~ -0.5772 e and lgamma(2 + e) ~ 0.4228 e: relative accuracy near 1 and 2.
    e = numpy.array([1e-9, -1e-9, 1e-6, -1e-6])
    numpy.testing.assert_allclose(F.lgamma(1 + e).array, -0.5772156649015329 * e, rtol=1e-5)
    numpy.testing.assert_allclose(F.lgamma(2 + e).array, 0.42278433509846713 * e, rtol=1e-5)


def test_lgamma_poles():
    y = F.lgamma(numpy.array([0., -1., -5.])).array
    assert numpy.all(y == numpy.inf)


def test_digamma_accuracy():
    negative = numpy.add.outer(-numpy.arange(1, 6), numpy.linspace(0.2, 0.8, 7)).ravel()
    x = numpy.concatenate([numpy.linspace(0.1, 30, 300), negative])
    numpy.testing.assert_allclose(F.digamma(x).array, _digamma_reference(x), rtol=1e-7,
                                  atol=1e-7)
    euler = 0.5772156649015329
    numpy.testing.assert_allclose(F.digamma(numpy.array([1.0, 0.5])).array,
                                  [-euler, -euler - 2 * math.log(2)], rtol=1e-14)
    x = numpy.linspace(-3.7, 12, 50)
    # psi(x + 1) = psi(x) + 1 / x
    numpy.testing.assert_allclose(F.digamma(x + 1).array, F.digamma(x).array + 1 / x,
                                  rtol=1e-12, atol=1e-12)


def test_polygamma():
    x = numpy.linspace(0.2, 10, 50)
    h = 1e-4
    # n = 1, 2 from finite differences of digamma; n = 0 is digamma itself.
    d1 = (F.digamma(x + h).array - F.digamma(x - h).array) / (2 * h)
    numpy.testing.assert_allclose(F.polygamma(1, x).array, d1, rtol=1e-6)
    d2 = (F.polygamma(1, x + h).array - F.polygamma(1, x - h).array) / (2 * h)
    numpy.testing.assert_allclose(F.polygamma(2, x).array, d2, rtol=1e-6)
    numpy.testing.assert_array_equal(F.polygamma(0, x).array, F.digamma(x).array)
    # trigamma(1) = pi^2 / 6; recurrence psi1(x + 1) = psi1(x) - 1 / x^2, also below zero.
    numpy.testing.assert_allclose(F.polygamma(1, numpy.array([1.0])).array, [math.pi ** 2 / 6],
                                  rtol=1e-14)
    x = numpy.linspace(-3.7, 5, 40)
    numpy.testing.assert_allclose(F.polygamma(1, x + 1).array,
                                  F.polygamma(1, x).array - 1 / x ** 2, rtol=1e-10)
    n = numpy.array([0, 1, 2, 3], numpy.int32)
    x = numpy.array([2.5, 2.5, 2.5, 2.5])
    y = F.polygamma(n, x).array
    for k in range(4):
        assert y[k] == F.polygamma(k, x[k:k + 1]).array[0]


CASES = {
    'erf': (F.erf, _erf, (-2, 2)),
    'erfc': (F.erfc, _erfc, (-2, 2)),
    'erfinv': (F.erfinv, None, (-0.9, 0.9)),
    'erfcinv': (F.erfcinv, None, (0.1, 1.9)),
    'erfcx': (F.erfcx, lambda x: numpy.exp(x * x) * _erfc(x), (-2, 3)),
    'ndtr': (F.ndtr, lambda x: 0.5 * _erfc(-x / math.sqrt(2)), (-2, 2)),
    'log_ndtr': (F.log_ndtr, lambda x: numpy.log(0.5 * _erfc(-x / math.sqrt(2))), (-3, 3)),
    'ndtri': (F.ndtri, None, (0.1, 0.9)),
    'lgamma': (F.lgamma, _lgamma, (0.5, 5)),
    'digamma': (F.digamma, _digamma_reference, (0.5, 5)),
}


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_dtype_and_gradients(name, dtype):
    func, ref, (lo, hi) = CASES[name]
    x = numpy.random.uniform(lo, hi, (2, 3)).astype(dtype)
    y = func(x)
    assert y.dtype == dtype and y.shape == x.shape
    if ref is not None:
        numpy.testing.assert_allclose(y.array, ref(x.astype(numpy.float64)),
                                      rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                      atol=1e-2 if dtype == numpy.float16 else 1e-6)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(func, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
        gradient_check.check_double_backward(func, x, gy, ggx, dtype=numpy.float64,
                                             atol=1e-3, rtol=1e-2)


def test_polygamma_gradient():
    x = numpy.random.uniform(0.5, 5, (2, 3))
    n = numpy.random.randint(0, 3, (2, 3)).astype(numpy.int32)
    gy = numpy.random.uniform(-1, 1, x.shape)
    gradient_check.check_backward(F.polygamma, (n, x), gy, dtype=numpy.float64)
    gradient_check.check_double_backward(lambda x: F.polygamma(2, x), x, gy,
                                         numpy.random.uniform(-1, 1, x.shape),
                                         dtype=numpy.float64)


@pytest.mark.parametrize('func', [F.erf, F.erfc, F.erfinv, F.erfcinv, F.erfcx, F.ndtr,
                                  F.log_ndtr, F.ndtri, F.lgamma, F.digamma])
def test_integer_input_is_rejected(func):
    with pytest.raises(type_check.InvalidType):
        func(numpy.arange(3, dtype=numpy.int32))


def test_polygamma_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.polygamma(numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float32))
    with pytest.raises(ValueError):
        F.polygamma(-1, numpy.ones(3, numpy.float32))

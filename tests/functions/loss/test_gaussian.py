"""F.gaussian_nll, F.gaussian_kl_divergence, F.bernoulli_nll: values, gradients, bad input."""
import math

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

SHAPE = (3, 4)


def _arrays(n, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    return tuple(rng.uniform(-1, 1, SHAPE).astype(dtype) for _ in range(n))


def _gnll(x, mean, ln_var):
    return 0.5 * (math.log(2 * math.pi) + ln_var + (x - mean) ** 2 / numpy.exp(ln_var))


def _kl(mean, ln_var):
    return 0.5 * (mean ** 2 + numpy.exp(ln_var) - ln_var - 1)


def _bnll(x, y):
    p = 1 / (1 + numpy.exp(-y))
    return -(x * numpy.log(p) + (1 - x) * numpy.log(1 - p))


CASES = {
    'gaussian_nll': (F.gaussian_nll, _gnll, 3),
    'gaussian_kl_divergence': (F.gaussian_kl_divergence, _kl, 2),
    'bernoulli_nll': (F.bernoulli_nll, _bnll, 2),
}


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_forward(name, reduce):
    func, ref, n = CASES[name]
    xs = _arrays(n, numpy.float64)
    if name == 'bernoulli_nll':
        xs = ((xs[0] > 0).astype(numpy.float64), xs[1] * 5)
    y = func(*xs, reduce=reduce)
    expected = ref(*xs)
    if reduce == 'sum':
        expected = expected.sum()
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-12)


def test_bernoulli_nll_stable_for_large_logits():
    y = F.bernoulli_nll(numpy.array([1.0, 0.0], numpy.float32),
                        numpy.array([-500.0, -500.0], numpy.float32), reduce='no')
    numpy.testing.assert_allclose(y.array, [500.0, 0.0], atol=1e-6)


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
def test_backward(name, dtype, tol):
    func, _, n = CASES[name]
    xs = _arrays(n, dtype)
    gy = numpy.random.randn(*SHAPE).astype(dtype)
    gradient_check.check_backward(lambda *xs: func(*xs, reduce='no'), xs, gy,
                                  dtype=numpy.float64, atol=tol, rtol=tol)


@pytest.mark.parametrize('name', sorted(CASES))
def test_double_backward(name):
    func, _, n = CASES[name]
    xs = _arrays(n, numpy.float64)
    ggx = _arrays(n, numpy.float64, seed=1)
    gy = numpy.random.randn(*SHAPE)
    gradient_check.check_double_backward(lambda *xs: func(*xs, reduce='no'), xs, gy, ggx,
                                         dtype=numpy.float64, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('name', sorted(CASES))
def test_invalid(name):
    func, _, n = CASES[name]
    xs = list(_arrays(n, numpy.float32))
    bad_shape = [numpy.zeros((2, 2), numpy.float32)] + xs[1:]
    with pytest.raises(type_check.InvalidType):
        func(*bad_shape)
    bad_dtype = [xs[0].astype(numpy.float64)] + xs[1:]
    with pytest.raises(type_check.InvalidType):
        func(*bad_dtype)
    with pytest.raises(ValueError, match='reduce'):
        func(*xs, reduce='mean')

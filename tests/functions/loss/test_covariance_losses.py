"""F.decov and F.cross_covariance: values against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _cov(a, b):
    return (a - a.mean(0)).T @ (b - b.mean(0)) / len(a)


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    return rng.randn(5, 3).astype(dtype), rng.randn(5, 4).astype(dtype)


@pytest.mark.parametrize('reduce', ['half_squared_sum', 'no'])
def test_forward(reduce):
    y, z = _data(numpy.float64)
    c = _cov(y, z)
    d = _cov(y, y) * (1 - numpy.eye(3))
    got_c = F.cross_covariance(y, z, reduce=reduce).array
    got_d = F.decov(y, reduce=reduce).array
    if reduce == 'no':
        numpy.testing.assert_allclose(got_c, c, rtol=1e-12)
        numpy.testing.assert_allclose(got_d, d, rtol=1e-12, atol=1e-15)
    else:
        numpy.testing.assert_allclose(got_c, 0.5 * (c ** 2).sum(), rtol=1e-12)
        numpy.testing.assert_allclose(got_d, 0.5 * (d ** 2).sum(), rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['half_squared_sum', 'no'])
def test_backward(dtype, tol, reduce):
    y, z = _data(dtype)
    rng = numpy.random.RandomState(1)
    gc = None if reduce != 'no' else rng.randn(3, 4).astype(dtype)
    gd = None if reduce != 'no' else rng.randn(3, 3).astype(dtype)
    gradient_check.check_backward(lambda y, z: F.cross_covariance(y, z, reduce), (y, z), gc,
                                  dtype=numpy.float64, atol=tol, rtol=tol)
    gradient_check.check_backward(lambda y: F.decov(y, reduce), y, gd, dtype=numpy.float64,
                                  atol=tol, rtol=tol)


def test_double_backward():
    y, z = _data(numpy.float64)
    rng = numpy.random.RandomState(2)
    gradient_check.check_double_backward(
        F.cross_covariance, (y, z), numpy.asarray(rng.randn()),
        (rng.randn(*y.shape), rng.randn(*z.shape)), dtype=numpy.float64, atol=1e-5, rtol=1e-4)
    gradient_check.check_double_backward(F.decov, y, numpy.asarray(rng.randn()),
                                         rng.randn(*y.shape), dtype=numpy.float64, atol=1e-5,
                                         rtol=1e-4)


def test_invalid():
    y, z = _data(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.cross_covariance(y, z[:4])
    with pytest.raises(type_check.InvalidType):
        F.cross_covariance(y, z.astype(numpy.float64))
    with pytest.raises(type_check.InvalidType):
        F.decov(y[0])
    with pytest.raises(ValueError):
        F.decov(y, reduce='sum')

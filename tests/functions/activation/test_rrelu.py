"""Tests of F.rrelu."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape)
    x[numpy.abs(x) < 0.1] = -0.5
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_train_slopes_are_random_in_range(dtype):
    x = _input((50, 40), dtype)
    y, r = F.rrelu(x, l=0.1, u=0.3, return_r=True)
    assert y.dtype == dtype and r.dtype == dtype and r.shape == x.shape
    assert r.min() >= 0.1 - 1e-3 and r.max() <= 0.3 + 1e-3
    assert abs(float(r.astype(numpy.float64).mean()) - 0.2) < 0.01
    assert r.std() > 0.03
    numpy.testing.assert_allclose(y.array, numpy.where(x >= 0, x, x * r), rtol=1e-3)


def test_default_bounds():
    _, r = F.rrelu(numpy.zeros((100, 100), numpy.float32), return_r=True)
    assert r.min() >= 1 / 8 - 1e-6 and r.max() <= 1 / 3 + 1e-6


def test_test_mode_uses_mean_slope():
    x = _input((3, 4), numpy.float32)
    with dchain.using_config('train', False):
        y, r = F.rrelu(x, l=0.1, u=0.3, return_r=True)
    numpy.testing.assert_allclose(r, 0.2)
    numpy.testing.assert_allclose(y.array, numpy.where(x >= 0, x, 0.2 * x), rtol=1e-6)


def test_given_r():
    x = _input((3, 4), numpy.float32)
    r = numpy.random.uniform(0.1, 0.2, (3, 4)).astype(numpy.float32)
    y = F.rrelu(x, r=r)
    numpy.testing.assert_allclose(y.array, numpy.where(x >= 0, x, x * r), rtol=1e-6)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward_fixed_r(dtype):
    x = _input((3, 4), dtype)
    r = numpy.random.uniform(0.1, 0.3, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.rrelu(x, r=r.astype(x.dtype)), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward_fixed_r(dtype):
    x = _input((3, 4), dtype)
    r = numpy.random.uniform(0.1, 0.3, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(lambda x: F.rrelu(x, r=r.astype(x.dtype)), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('l,u', [(-0.1, 0.3), (0.3, 0.1), (0.1, 1.0)])
def test_invalid_bounds(l, u):  # noqa: E741
    with pytest.raises(ValueError):
        F.rrelu(numpy.zeros(3, numpy.float32), l=l, u=u)


def test_invalid_r_shape():
    with pytest.raises(type_check.InvalidType):
        F.rrelu(numpy.zeros((3, 4), numpy.float32), r=numpy.zeros((4, 3), numpy.float32))


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.rrelu(numpy.zeros(3, numpy.int32))

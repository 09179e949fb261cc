"""Tests of F.average_pooling_2d against a loop reference written here."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def reference_avg_pool(x, k, s, p):
    n, c, h, w = x.shape
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    xp = numpy.zeros((n, c, h + 2 * p, w + 2 * p))
    xp[:, :, p:p + h, p:p + w] = x
    y = numpy.zeros((n, c, oh, ow))
    for i, j in itertools.product(range(oh), range(ow)):
        y[:, :, i, j] = xp[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return y


CASES = [(2, 2, 0), (3, 2, 1), (2, 1, 0), (3, 1, 1)]


@pytest.mark.parametrize('k,s,p', CASES)
def test_forward(k, s, p):
    x = numpy.random.default_rng(0).standard_normal((2, 3, 7, 6)).astype(numpy.float32)
    y = F.average_pooling_2d(x, k, s, p)
    numpy.testing.assert_allclose(y.array, reference_avg_pool(x, k, s, p), rtol=1e-5,
                                  atol=1e-6)
    assert y.dtype == numpy.float32


@pytest.mark.parametrize('k,s,p', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(k, s, p, dtype):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((2, 2, 6, 5)).astype(dtype)
    y = F.average_pooling_2d(x, k, s, p)
    gy = rng.standard_normal(y.shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else {}
    gradient_check.check_backward(lambda x: F.average_pooling_2d(x, k, s, p), x, gy,
                                  dtype=numpy.float64, **tol)


@pytest.mark.parametrize('k,s,p', CASES)
def test_double_backward(k, s, p):
    rng = numpy.random.default_rng(2)
    x = rng.standard_normal((1, 2, 6, 5))
    y = F.average_pooling_2d(x, k, s, p)
    gradient_check.check_double_backward(
        lambda x: F.average_pooling_2d(x, k, s, p), x, rng.standard_normal(y.shape),
        rng.standard_normal(x.shape), dtype=numpy.float64)


def test_global_average_pooling():
    x = numpy.random.default_rng(3).standard_normal((2, 3, 4, 5)).astype(numpy.float32)
    y = F.average_pooling_2d(x, x.shape[2:], stride=1)
    numpy.testing.assert_allclose(y.array[:, :, 0, 0], x.mean(axis=(2, 3)), rtol=1e-5)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.average_pooling_2d(numpy.zeros((2, 3, 4), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType):
        F.average_pooling_2d(numpy.zeros((2, 3, 4, 4), numpy.int64), 2)
    with pytest.raises(type_check.InvalidType):
        F.average_pooling_2d(numpy.zeros((2, 3, 2, 2), numpy.float32), 3)

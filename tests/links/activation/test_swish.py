"""Tests of L.Swish."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, beta):
    b = beta.reshape((1,) + beta.shape + (1,) * (x.ndim - beta.ndim - 1))
    return x / (1 + numpy.exp(-b * x))


def test_forward_with_shape():
    link = L.Swish((3,), beta_init=2.0)
    assert link.beta.shape == (3,)
    numpy.testing.assert_array_equal(link.beta.array, 2.0)
    x = numpy.random.randn(2, 3, 4).astype(numpy.float32)
    numpy.testing.assert_allclose(link(x).array, _reference(x, link.beta.array), rtol=1e-5)


def test_lazy_init():
    link = L.Swish(None)
    assert link.beta.array is None
    x = numpy.random.randn(2, 3, 4).astype(numpy.float32)
    y = link(x)
    assert link.beta.shape == (3, 4)
    numpy.testing.assert_array_equal(link.beta.array, 1.0)
    numpy.testing.assert_allclose(y.array, x / (1 + numpy.exp(-x)), rtol=1e-5)


def test_beta_gradient():
    link = L.Swish((2,))
    x = numpy.random.randn(5, 2).astype(numpy.float64)
    link.beta.array = link.beta.array.astype(numpy.float64)
    F.sum(link(dchain.Variable(x))).backward()
    s = 1 / (1 + numpy.exp(-x))
    numpy.testing.assert_allclose(link.beta.grad, (x * x * s * (1 - s)).sum(axis=0),
                                  rtol=1e-10)


def test_check_backward_with_param():
    link = L.Swish((3,), beta_init=0.7)
    x = numpy.random.randn(4, 3).astype(numpy.float32)
    gy = numpy.random.randn(4, 3).astype(numpy.float32)
    gradient_check.check_backward(link, x, gy, params=link.beta, atol=1e-3, rtol=1e-3,
                                  dtype=numpy.float64)


def test_shape_mismatch():
    link = L.Swish((4,))
    with pytest.raises(type_check.InvalidType):
        link(numpy.zeros((2, 3), numpy.float32))

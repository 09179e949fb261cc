"""Tests of L.PReLU."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import gradient_check
from dchain.utils import type_check


def _input(shape):
    x = numpy.random.uniform(-1, 1, shape)
    x[numpy.abs(x) < 0.1] = -0.5
    return x.astype(numpy.float32)


def test_default_is_one_scalar_slope():
    link = L.PReLU()
    assert link.W.shape == ()
    assert float(link.W.array) == pytest.approx(0.25)
    assert [name for name, _ in link.namedparams()] == ['/W']
    x = _input((3, 4))
    numpy.testing.assert_allclose(link(x).array, numpy.where(x >= 0, x, 0.25 * x), rtol=1e-6)


def test_shaped_slopes_forward_and_grad():
    link = L.PReLU(shape=(3,), init=0.1)
    link.W.array[...] = numpy.array([0.1, 0.2, 0.3], numpy.float32)
    x = _input((2, 3, 4))
    xv = dchain.Variable(x)
    y = link(xv)
    w = link.W.array.reshape(1, 3, 1)
    numpy.testing.assert_allclose(y.array, numpy.where(x >= 0, x, w * x), rtol=1e-6)
    F.sum(y).backward()
    numpy.testing.assert_allclose(link.W.grad, numpy.where(x < 0, x, 0).sum(axis=(0, 2)),
                                  rtol=1e-5)
    numpy.testing.assert_allclose(xv.grad, numpy.where(x >= 0, 1, numpy.broadcast_to(w, x.shape)),
                                  rtol=1e-6)


def test_check_backward_with_param():
    link = L.PReLU(shape=(3,))
    link.W.array[...] = numpy.random.uniform(-1, 1, 3).astype(numpy.float32)
    x = _input((4, 3))
    gy = numpy.random.randn(4, 3).astype(numpy.float32)
    gradient_check.check_backward(link, x, gy, params=link.W, atol=1e-3, rtol=1e-3,
                                  dtype=numpy.float64)


def test_array_init():
    init = numpy.array([0.5, -0.5], numpy.float32)
    link = L.PReLU(shape=(2,), init=init)
    numpy.testing.assert_array_equal(link.W.array, init)


def test_shape_mismatch():
    link = L.PReLU(shape=(5,))
    with pytest.raises(type_check.InvalidType):
        link(numpy.zeros((2, 3), numpy.float32))

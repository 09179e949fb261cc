"""Tests of L.Maxout."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import gradient_check


def _reference(x, W, b):
    # W: (out, pool, in), b: (out, pool)
    z = numpy.einsum('opi,ni->nop', W, x.reshape(len(x), -1))
    if b is not None:
        z = z + b
    return z.max(axis=2)


def test_forward_with_array_init():
    W = numpy.random.randn(3, 2, 4).astype(numpy.float32)
    b = numpy.random.randn(3, 2).astype(numpy.float32)
    link = L.Maxout(4, 3, 2, initialW=W, initial_bias=b)
    assert link.linear.W.shape == (6, 4) and link.linear.b.shape == (6,)
    x = numpy.random.randn(5, 4).astype(numpy.float32)
    y = link(x)
    assert y.shape == (5, 3)
    numpy.testing.assert_allclose(y.array, _reference(x, W, b), rtol=1e-5, atol=1e-6)


def test_default_bias_is_zero_and_none_removes_it():
    link = L.Maxout(4, 3, 2)
    numpy.testing.assert_array_equal(link.linear.b.array, 0)
    link = L.Maxout(4, 3, 2, initial_bias=None)
    assert link.linear.b is None
    assert [name for name, _ in link.namedparams()] == ['/linear/W']


def test_lazy_in_size():
    link = L.Maxout(None, 3, 2)
    x = numpy.random.randn(5, 2, 2).astype(numpy.float32)
    y = link(x)
    assert link.linear.W.shape == (6, 4)
    W = link.linear.W.array.reshape(3, 2, 4)
    numpy.testing.assert_allclose(y.array, _reference(x, W, None), rtol=1e-5, atol=1e-6)


def test_backward():
    link = L.Maxout(4, 3, 2)
    x = numpy.random.randn(5, 4).astype(numpy.float32)
    gy = numpy.random.randn(5, 3).astype(numpy.float32)
    gradient_check.check_backward(link, x, gy, params=(link.linear.W, link.linear.b),
                                  atol=1e-3, rtol=1e-3, dtype=numpy.float64)


def test_gradient_reaches_only_winning_units():
    link = L.Maxout(4, 3, 2)
    x = numpy.random.randn(1, 4).astype(numpy.float32)
    F.sum(link(dchain.Variable(x))).backward()
    # One of the two units of each output gets the gradient.
    g = link.linear.b.grad.reshape(3, 2)
    numpy.testing.assert_array_equal(g.sum(axis=1), 1)


def test_bad_initial_w_shape():
    with pytest.raises(ValueError):
        L.Maxout(4, 3, 2, initialW=numpy.zeros((6, 4), numpy.float32))

"""Tests of L.SimplifiedDropconnect."""
import numpy
import pytest

import dchain.links as L
from dchain import gradient_check
from dchain.utils import type_check


def test_params_and_shapes():
    link = L.SimplifiedDropconnect(4, 3)
    assert link.W.shape == (3, 4) and link.b.shape == (3,)
    numpy.testing.assert_array_equal(link.b.array, 0)
    assert sorted(name for name, _ in link.namedparams()) == ['/W', '/b']
    assert L.SimplifiedDropconnect(4, 3, nobias=True).b is None


def test_not_train_is_linear():
    link = L.SimplifiedDropconnect(4, 3, ratio=0.9, initial_bias=0.5)
    x = numpy.random.randn(2, 4).astype(numpy.float32)
    y = link(x, train=False)
    numpy.testing.assert_allclose(y.array, x @ link.W.array.T + 0.5, rtol=1e-5, atol=1e-6)


def test_given_mask():
    link = L.SimplifiedDropconnect(4, 3, ratio=0.25)
    x = numpy.random.randn(2, 4).astype(numpy.float32)
    mask = numpy.random.rand(2, 3, 4) > 0.25
    y = link(x, mask=mask)
    w = link.W.array * mask / 0.75
    expect = numpy.einsum('noi,ni->no', w, x) + link.b.array
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-5, atol=1e-6)


def test_lazy_init():
    link = L.SimplifiedDropconnect(3)
    assert link.W.array is None
    y = link(numpy.random.randn(2, 2, 3).astype(numpy.float32))
    assert link.W.shape == (3, 6) and y.shape == (2, 3)


def test_training_drops_weights():
    link = L.SimplifiedDropconnect(50, 50, ratio=0.5, initialW=numpy.eye(50, dtype=numpy.float32))
    x = numpy.ones((400, 50), numpy.float32)
    y = link(x).array
    assert abs((y == 0).mean() - 0.5) < 0.03


def test_backward_with_fixed_mask():
    link = L.SimplifiedDropconnect(4, 3)
    x = numpy.random.randn(2, 4).astype(numpy.float32)
    mask = numpy.random.rand(2, 3, 4) > 0.5
    gy = numpy.random.randn(2, 3).astype(numpy.float32)
    gradient_check.check_backward(lambda x: link(x, mask=mask), x, gy,
                                  params=(link.W, link.b), atol=1e-3, rtol=1e-3,
                                  dtype=numpy.float64)


def test_input_size_mismatch():
    link = L.SimplifiedDropconnect(4, 3)
    with pytest.raises(type_check.InvalidType):
        link(numpy.zeros((2, 5), numpy.float32))

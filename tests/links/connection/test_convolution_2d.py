"""Tests of L.Convolution2D: parameter shapes, lazy initialization, forward, gradients."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


def test_shapes_and_forward_match_function():
    link = L.Convolution2D(3, 4, 3, stride=2, pad=1)
    assert link.W.shape == (4, 3, 3, 3)
    assert link.b.shape == (4,)
    x = numpy.random.default_rng(0).standard_normal((2, 3, 7, 7)).astype(numpy.float32)
    y = link(x)
    assert y.shape == (2, 4, 4, 4)
    expected = F.convolution_2d(x, link.W.array, link.b.array, 2, 1)
    numpy.testing.assert_allclose(y.array, expected.array)
    # With a zero bias, the bias does not change the result.
    numpy.testing.assert_array_equal(link.b.array, numpy.zeros(4, numpy.float32))


@pytest.mark.parametrize('args', [(None, 5, 3), (5, 3)])
def test_lazy_initialization(args):
    link = L.Convolution2D(*args)
    assert link.W.array is None
    x = numpy.ones((1, 2, 4, 4), numpy.float32)
    y = link(x)
    assert link.W.shape == (5, 2, 3, 3)
    assert link.in_channels == 2
    assert y.shape == (1, 5, 2, 2)


def test_nobias_initializers_groups_dilate():
    link = L.Convolution2D(4, 6, 2, nobias=True, initialW=0.5, groups=2, dilate=2)
    assert link.b is None
    assert link.W.shape == (6, 2, 2, 2)
    numpy.testing.assert_array_equal(link.W.array, 0.5)
    y = link(numpy.ones((1, 4, 5, 5), numpy.float32))
    assert y.shape == (1, 6, 3, 3)
    numpy.testing.assert_allclose(y.array, 0.5 * 2 * 4)


def test_gradients_reach_parameters():
    link = L.Convolution2D(2, 3, 3, pad=1)
    x = dchain.Variable(numpy.random.default_rng(1).standard_normal(
        (2, 2, 4, 4)).astype(numpy.float32))
    loss = F.sum(link(x) * link(x))
    loss.backward()
    assert link.W.grad.shape == link.W.shape
    assert link.b.grad.shape == (3,)
    assert x.grad.shape == x.shape
    assert numpy.abs(link.W.grad).sum() > 0


def test_bad_groups():
    with pytest.raises(ValueError):
        L.Convolution2D(3, 4, 3, groups=2)

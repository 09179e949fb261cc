"""Tests of L.Deconvolution2D and L.DeconvolutionND / 1D / 3D."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


def test_deconvolution_2d_matches_function():
    link = L.Deconvolution2D(3, 4, 3, stride=2, pad=1, outsize=(8, 8))
    assert link.W.shape == (3, 4, 3, 3)
    x = numpy.random.default_rng(0).standard_normal((2, 3, 4, 4)).astype(numpy.float32)
    y = link(x)
    assert y.shape == (2, 4, 8, 8)
    expected = F.deconvolution_2d(x, link.W.array, link.b.array, 2, 1, (8, 8))
    numpy.testing.assert_allclose(y.array, expected.array)


@pytest.mark.parametrize('args', [(None, 4, 2), (4, 2)])
def test_lazy_initialization(args):
    link = L.Deconvolution2D(*args, stride=2)
    assert link.W.array is None
    y = link(numpy.ones((1, 3, 3, 3), numpy.float32))
    assert link.W.shape == (3, 4, 2, 2)
    assert y.shape == (1, 4, 6, 6)


def test_groups_and_nd_links():
    link = L.Deconvolution2D(4, 6, 3, groups=2, nobias=True)
    assert link.W.shape == (4, 3, 3, 3) and link.b is None
    assert link(numpy.ones((1, 4, 2, 2), numpy.float32)).shape == (1, 6, 4, 4)
    l1 = L.Deconvolution1D(2, 3, 3)
    assert l1(numpy.ones((1, 2, 4), numpy.float32)).shape == (1, 3, 6)
    l3 = L.Deconvolution3D(2, 3, 2, stride=2)
    assert l3(numpy.ones((1, 2, 2, 2, 2), numpy.float32)).shape == (1, 3, 4, 4, 4)
    lnd = L.DeconvolutionND(2, None, 3, 2)
    x = dchain.Variable(numpy.ones((1, 2, 2, 2), numpy.float32))
    F.sum(lnd(x)).backward()
    assert lnd.W.grad.shape == (2, 3, 2, 2)
    # The sum of a deconvolution's output is linear in W: d/dW = sum over x and windows.
    numpy.testing.assert_allclose(lnd.W.grad, numpy.full((2, 3, 2, 2), 4.0))

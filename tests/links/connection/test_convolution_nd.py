"""Tests of L.ConvolutionND, L.Convolution1D and L.Convolution3D."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


@pytest.mark.parametrize('cls,ndim', [(L.Convolution1D, 1), (L.Convolution3D, 3)])
def test_fixed_ndim_links(cls, ndim):
    link = cls(2, 4, 3, stride=2, pad=1)
    assert link.W.shape == (4, 2) + (3,) * ndim
    x = numpy.random.default_rng(0).standard_normal((2, 2) + (5,) * ndim).astype(
        numpy.float32)
    y = link(x)
    assert y.shape == (2, 4) + (3,) * ndim
    expected = F.convolution_nd(x, link.W.array, link.b.array, 2, 1)
    numpy.testing.assert_allclose(y.array, expected.array)


def test_convolution_nd_lazy_and_shortcut():
    link = L.ConvolutionND(2, 5, 3)  # out_channels=5, ksize=3, in_channels inferred
    assert link.W.array is None
    y = link(numpy.ones((1, 3, 4, 4), numpy.float32))
    assert link.W.shape == (5, 3, 3, 3)
    assert y.shape == (1, 5, 2, 2)
    link2 = L.ConvolutionND(1, None, 2, 2, nobias=True, initialW=1.0, groups=2)
    y2 = link2(numpy.ones((1, 4, 3), numpy.float32))
    assert link2.b is None and link2.W.shape == (2, 2, 2)
    numpy.testing.assert_allclose(y2.array, 4.0)


def test_backward_reaches_parameters():
    link = L.Convolution3D(1, 2, 2, cover_all=True, stride=2)
    x = dchain.Variable(numpy.random.default_rng(1).standard_normal(
        (1, 1, 3, 3, 3)).astype(numpy.float32))
    F.sum(link(x)).backward()
    assert link.W.grad.shape == link.W.shape
    assert link.b.grad.shape == (2,)

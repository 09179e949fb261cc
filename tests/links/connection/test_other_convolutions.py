"""Tests of L.DepthwiseConvolution2D, L.DilatedConvolution2D and L.MLPConvolution2D."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


def test_depthwise_convolution_2d():
    link = L.DepthwiseConvolution2D(3, 2, 3, pad=1)
    assert link.W.shape == (2, 3, 3, 3)
    assert link.b.shape == (6,)
    x = numpy.random.default_rng(0).standard_normal((2, 3, 5, 5)).astype(numpy.float32)
    y = link(x)
    expected = F.depthwise_convolution_2d(x, link.W.array, link.b.array, 1, 1)
    numpy.testing.assert_allclose(y.array, expected.array)
    lazy = L.DepthwiseConvolution2D(None, 2, 3)
    assert lazy(x).shape == (2, 6, 3, 3)
    assert lazy.W.shape == (2, 3, 3, 3) and lazy.b.shape == (6,)


def test_dilated_convolution_2d():
    link = L.DilatedConvolution2D(2, 3, 3, pad=2, dilate=2)
    x = numpy.random.default_rng(1).standard_normal((1, 2, 6, 6)).astype(numpy.float32)
    y = link(x)
    assert y.shape == (1, 3, 6, 6)
    expected = F.convolution_2d(x, link.W.array, link.b.array, 1, 2, dilate=2)
    numpy.testing.assert_allclose(y.array, expected.array)
    lazy = L.DilatedConvolution2D(3, 3)
    assert lazy(x).shape == (1, 3, 4, 4)


def test_mlp_convolution_2d():
    link = L.MLPConvolution2D(2, (4, 5, 3), 3, pad=1)
    assert [c.W.shape for c in link] == [(4, 2, 3, 3), (5, 4, 1, 1), (3, 5, 1, 1)]
    x = dchain.Variable(numpy.random.default_rng(2).standard_normal(
        (2, 2, 4, 4)).astype(numpy.float32))
    y = link(x)
    h = x.array
    for i, conv in enumerate(link):
        h = F.convolution_2d(h, conv.W.array, conv.b.array, 1, 1 if i == 0 else 0).array
        if i < 2:
            h = numpy.maximum(h, 0)
    numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
    F.sum(y).backward()
    assert all(c.W.grad is not None for c in link)
    lazy = L.MLPConvolution2D((3, 2), 1, activation=F.tanh)
    assert lazy(x).shape == (2, 2, 4, 4)
    with pytest.raises(ValueError):
        L.MLPConvolution2D(2, (), 3)

"""Tests of L.Bilinear and L.Highway."""
import numpy
import pytest

import dchain.links as L
from dchain import gradient_check


def test_bilinear_link():
    bl = L.Bilinear(3, 2, 4)
    assert bl.W.shape == (3, 2, 4) and bl.V1.shape == (3, 4) and bl.V2.shape == (2, 4)
    numpy.testing.assert_array_equal(bl.b.array, numpy.zeros(4, numpy.float32))
    rng = numpy.random.RandomState(0)
    for p in (bl.V1, bl.V2, bl.b):
        p.array[...] = rng.uniform(-1, 1, p.shape)
    e1 = rng.uniform(-1, 1, (5, 3)).astype(numpy.float32)
    e2 = rng.uniform(-1, 1, (5, 2)).astype(numpy.float32)
    y = bl(e1, e2)
    ref = numpy.einsum('ij,ik,jkl->il', e1, e2, bl.W.array) + e1.dot(bl.V1.array) + \
        e2.dot(bl.V2.array) + bl.b.array
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-5, atol=1e-5)
    gradient_check.check_backward(bl, (e1, e2), rng.uniform(-1, 1, (5, 4)),
                                  params=tuple(bl.params()), dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)
    nb = L.Bilinear(3, 2, 4, nobias=True)
    assert sorted(n for n, _ in nb.namedparams()) == ['/W']
    numpy.testing.assert_allclose(nb(e1, e2).array,
                                  numpy.einsum('ij,ik,jkl->il', e1, e2, nb.W.array),
                                  rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError):
        L.Bilinear(3, 2, 4, initial_bias=1)


def test_highway_link():
    hw = L.Highway(3)
    numpy.testing.assert_array_equal(hw.transform.b.array, numpy.full(3, -1, numpy.float32))
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    y = hw(x)
    h = numpy.maximum(x.dot(hw.plain.W.array.T) + hw.plain.b.array, 0)
    t = 1 / (1 + numpy.exp(-(x.dot(hw.transform.W.array.T) + hw.transform.b.array)))
    numpy.testing.assert_allclose(y.array, h * t + x * (1 - t), rtol=1e-5, atol=1e-6)
    import dchain.functions as F
    hw_tanh = L.Highway(3, activate=F.tanh)
    gradient_check.check_backward(hw_tanh, x, rng.uniform(-1, 1, (4, 3)),
                                  params=tuple(hw_tanh.params()), dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)

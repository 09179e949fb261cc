"""Tests of L.EmbedID."""
import numpy

import dchain.links as L


def test_embed_id_link():
    emb = L.EmbedID(5, 3, ignore_label=-1)
    assert emb.W.shape == (5, 3) and emb.W.dtype == numpy.float32
    x = numpy.array([[1, 4], [-1, 1]], numpy.int32)
    y = emb(x)
    assert y.shape == (2, 2, 3)
    numpy.testing.assert_array_equal(y.array[0, 0], emb.W.array[1])
    numpy.testing.assert_array_equal(y.array[1, 0], numpy.zeros(3))
    y.grad = numpy.ones((2, 2, 3), numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(emb.W.grad[:, 0], [0, 2, 0, 0, 1])


def test_initial_w_array():
    W = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    emb = L.EmbedID(3, 2, initialW=W)
    numpy.testing.assert_array_equal(emb(numpy.array([2], numpy.int32)).array, [[4, 5]])

"""L.Scale: learnable and given scales, optional bias, gradients, bad arguments."""
import numpy
import pytest

import dchain.links as L
from dchain import gradient_check
from dchain.utils import type_check


def test_learnable_scale_with_bias():
    link = L.Scale(axis=1, W_shape=(3,), bias_term=True)
    assert numpy.all(link.W.array == 1) and numpy.all(link.bias.b.array == 0)
    assert sorted(name for name, _ in link.namedparams()) == ['/W', '/bias/b']
    link.W.array[...] = numpy.random.uniform(-1, 1, 3)
    link.bias.b.array[...] = numpy.random.uniform(-1, 1, 3)
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(numpy.float32)
    y = link(x)
    expect = x * link.W.array[:, None] + link.bias.b.array[:, None]
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-6)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(numpy.float32)
    gradient_check.check_backward(link, x, gy, params=(link.W, link.bias.b), atol=1e-4,
                                  rtol=1e-3)


def test_learnable_scale_without_bias():
    link = L.Scale(axis=0, W_shape=(2, 3))
    assert not hasattr(link, 'bias')
    link.W.array[...] = numpy.random.rand(2, 3)
    x = numpy.random.rand(2, 3, 4).astype(numpy.float32)
    numpy.testing.assert_allclose(link(x).array, x * link.W.array[:, :, None], rtol=1e-6)


def test_given_scale_with_bias():
    link = L.Scale(axis=1, bias_term=True, bias_shape=(3,))
    assert [name for name, _ in link.namedparams()] == ['/bias/b']
    x = numpy.random.rand(2, 3).astype(numpy.float32)
    w = numpy.random.rand(3).astype(numpy.float32)
    link.bias.b.array[...] = 0.5
    numpy.testing.assert_allclose(link(x, w).array, x * w + 0.5, rtol=1e-6)
    gradient_check.check_backward(link, (x, w), numpy.random.rand(2, 3).astype(numpy.float32),
                                  params=link.bias.b, atol=1e-4, rtol=1e-3)


def test_bad_arguments():
    with pytest.raises(ValueError):
        L.Scale(axis=1, bias_term=True)
    with pytest.raises(TypeError):
        L.Scale(axis=1)(numpy.ones((2, 3), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        L.Scale(axis=1, W_shape=(4,))(numpy.ones((2, 3), numpy.float32))

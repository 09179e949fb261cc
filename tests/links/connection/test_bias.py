"""L.Bias: learnable and given biases, gradients reach the parameter, bad inputs."""
import numpy
import pytest

import dchain.links as L
from dchain import gradient_check
from dchain.utils import type_check


def test_learnable_bias():
    link = L.Bias(axis=1, shape=(3,))
    assert link.b.shape == (3,) and numpy.all(link.b.array == 0)
    assert [name for name, _ in link.namedparams()] == ['/b']
    link.b.array[...] = numpy.random.uniform(-1, 1, 3)
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(numpy.float32)
    y = link(x)
    numpy.testing.assert_allclose(y.array, x + link.b.array[:, None], rtol=1e-6)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(numpy.float32)
    gradient_check.check_backward(link, x, gy, params=link.b, atol=1e-4, rtol=1e-3)


def test_given_bias():
    link = L.Bias(axis=2)
    assert list(link.params()) == []
    x = numpy.random.rand(2, 3, 4)
    b = numpy.random.rand(4)
    numpy.testing.assert_allclose(link(x, b).array, x + b)
    gradient_check.check_backward(link, (x, b), numpy.random.rand(2, 3, 4))


def test_int_shape_and_float64():
    link = L.Bias(shape=3)
    assert link.b.shape == (3,)
    with pytest.raises(type_check.InvalidType):
        link(numpy.ones((2, 3), numpy.float64))


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        L.Bias(axis=1, shape=(4,))(numpy.ones((2, 3), numpy.float32))
    with pytest.raises(TypeError):
        L.Bias(axis=1, shape=(3,))(numpy.ones((2, 3), numpy.float32),
                                   numpy.ones(3, numpy.float32))
    with pytest.raises(TypeError):
        L.Bias(axis=1)(numpy.ones((2, 3), numpy.float32))

"""Tests of F.spatial_pyramid_pooling_2d against bin maxima computed here."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def distinct(shape, seed):
    size = int(numpy.prod(shape))
    return numpy.random.default_rng(seed).permutation(size).reshape(shape) / size - 0.5


def test_forward_on_divisible_size():
    x = distinct((2, 3, 8, 8), 0)
    y = F.spatial_pyramid_pooling_2d(x, 3)
    assert y.shape == (2, 3 * (1 + 4 + 16), 1, 1)
    flat = y.array[:, :, 0, 0]
    numpy.testing.assert_array_equal(flat[:, :3], x.max(axis=(2, 3)))
    level1 = x.reshape(2, 3, 2, 4, 2, 4).max(axis=(3, 5)).reshape(2, -1)
    numpy.testing.assert_array_equal(flat[:, 3:15], level1)
    level2 = x.reshape(2, 3, 4, 2, 4, 2).max(axis=(3, 5)).reshape(2, -1)
    numpy.testing.assert_array_equal(flat[:, 15:], level2)


def test_size_independent_output_and_backward():
    x = distinct((1, 2, 7, 5), 1)
    y = F.spatial_pyramid_pooling_2d(x, 2)
    assert y.shape == (1, 2 * 5, 1, 1)
    gy = numpy.random.default_rng(2).standard_normal(y.shape)
    gradient_check.check_backward(lambda x: F.spatial_pyramid_pooling_2d(x, 2), x, gy,
                                  dtype=numpy.float64, eps=1e-4)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.spatial_pyramid_pooling_2d(numpy.zeros((1, 2, 4), numpy.float32), 2)
    with pytest.raises(ValueError):
        F.spatial_pyramid_pooling_2d(numpy.zeros((1, 2, 4, 4), numpy.float32), 2, 'avg')

"""Tests of F.upsampling_2d: the inverse of max pooling with indices."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


def distinct(shape, seed):
    size = int(numpy.prod(shape))
    return numpy.random.default_rng(seed).permutation(size).reshape(shape) / size - 0.5


@pytest.mark.parametrize('k,s,p,cover_all,shape', [
    (2, 2, 0, False, (2, 3, 6, 4)),
    (3, 2, 1, True, (1, 2, 7, 6)),
])
def test_inverts_max_pooling(k, s, p, cover_all, shape):
    x = distinct(shape, 0)
    y, idx = F.max_pooling_2d(x, k, s, p, cover_all, return_indices=True)
    up = F.upsampling_2d(y, idx, k, s, p, shape[2:], cover_all)
    assert up.shape == x.shape
    # Every pooled maximum lands back where it came from; elsewhere zeros (unless
    # overlapping windows sum the same maximum twice).
    nonzero = up.array != 0
    assert nonzero.sum() > 0
    numpy.testing.assert_array_equal(numpy.unique(up.array[nonzero] / x[nonzero]).round(6)
                                     [:1], [1.0])
    # Pixels that are the max of a non-overlapping window come back exactly.
    if s == k:
        numpy.testing.assert_array_equal(up.array[nonzero], x[nonzero])
        assert nonzero.sum() == y.size


def test_backward_and_double_backward():
    x = distinct((1, 2, 6, 6), 1)
    y, idx = F.max_pooling_2d(x, 2, return_indices=True)
    rng = numpy.random.default_rng(2)

    def f(y):
        return F.upsampling_2d(y, idx, 2, outsize=(6, 6))
    gy = rng.standard_normal((1, 2, 6, 6))
    gradient_check.check_backward(f, y.array, gy, dtype=numpy.float64)
    gradient_check.check_backward(f, y.array.astype(numpy.float32), gy.astype(numpy.float32),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, y.array, gy, rng.standard_normal(y.shape),
                                         dtype=numpy.float64)


def test_invalid():
    idx = numpy.zeros((1, 2, 3, 3), numpy.int32)
    with pytest.raises(type_check.InvalidType):
        F.upsampling_2d(numpy.zeros((1, 2, 3, 4), numpy.float32), idx, 2)  # shape mismatch
    with pytest.raises(TypeError):
        F.upsampling_2d(numpy.zeros((1, 2, 3, 3), numpy.float32),
                        idx.astype(numpy.float32), 2)

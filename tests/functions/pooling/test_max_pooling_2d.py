"""Tests of F.max_pooling_2d against a loop reference written here."""
import itertools
import math

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


def out_len(size, k, s, p, cover_all):
    if cover_all:
        return math.ceil((size + 2 * p - k) / s) + 1 if (size + 2 * p - k) % s else \
            (size + 2 * p - k) // s + 1
    return (size + 2 * p - k) // s + 1


def reference_max_pool(x, k, s, p, cover_all):
    n, c, h, w = x.shape
    oh, ow = out_len(h, k, s, p, cover_all), out_len(w, k, s, p, cover_all)
    y = numpy.empty((n, c, oh, ow), x.dtype)
    idx = numpy.empty((n, c, oh, ow), numpy.int64)
    for i, j in itertools.product(range(oh), range(ow)):
        best = numpy.full((n, c), -numpy.inf)
        arg = numpy.zeros((n, c), numpy.int64)
        for a, b in itertools.product(range(k), range(k)):
            r, q = i * s + a - p, j * s + b - p
            if 0 <= r < h and 0 <= q < w:
                v = x[:, :, r, q]
                better = v > best
                best = numpy.where(better, v, best)
                arg = numpy.where(better, a * k + b, arg)
        y[:, :, i, j] = best
        idx[:, :, i, j] = arg
    return y, idx


def distinct_input(shape, dtype, seed=0):
    # A permutation keeps every value apart, so the maximum is unique (differentiable).
    rng = numpy.random.default_rng(seed)
    size = numpy.prod(shape)
    return (rng.permutation(size).reshape(shape) / size - 0.5).astype(dtype)


CASES = [(2, 2, 0, True), (3, 2, 1, True), (3, 2, 1, False), (2, 1, 0, False), (3, 3, 0, False),
         (3, 3, 0, True)]


@pytest.mark.parametrize('k,s,p,cover_all', CASES)
def test_forward_and_indices(k, s, p, cover_all):
    x = distinct_input((2, 3, 7, 6), numpy.float32)
    y, idx = F.max_pooling_2d(x, k, s, p, cover_all, return_indices=True)
    ey, eidx = reference_max_pool(x, k, s, p, cover_all)
    assert y.shape == ey.shape
    numpy.testing.assert_array_equal(y.array, ey)
    numpy.testing.assert_array_equal(idx, eidx)


def test_ties_pick_first():
    x = numpy.ones((1, 1, 2, 2), numpy.float32)
    xv = dchain.Variable(x)
    y = F.max_pooling_2d(xv, 2)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    numpy.testing.assert_array_equal(xv.grad, [[[[1, 0], [0, 0]]]])


@pytest.mark.parametrize('k,s,p,cover_all', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(k, s, p, cover_all, dtype):
    x = distinct_input((2, 2, 7, 6), dtype, 1)
    y = F.max_pooling_2d(x, k, s, p, cover_all)
    gy = numpy.random.default_rng(2).standard_normal(y.shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else {}
    gradient_check.check_backward(lambda x: F.max_pooling_2d(x, k, s, p, cover_all), x, gy,
                                  dtype=numpy.float64, eps=1e-4, **tol)


@pytest.mark.parametrize('k,s,p,cover_all', CASES)
def test_double_backward(k, s, p, cover_all):
    x = distinct_input((1, 2, 6, 5), numpy.float64, 3)
    y = F.max_pooling_2d(x, k, s, p, cover_all)
    rng = numpy.random.default_rng(4)
    gradient_check.check_double_backward(
        lambda x: F.max_pooling_2d(x, k, s, p, cover_all), x,
        rng.standard_normal(y.shape), rng.standard_normal(x.shape), dtype=numpy.float64,
        eps=1e-4)


def test_node_object_as_layer():
    layer = F.MaxPooling2D(2, 2)
    x = distinct_input((1, 1, 4, 4), numpy.float32)
    y1 = layer(x)
    y2 = layer(x)
    numpy.testing.assert_array_equal(y1.array, y2.array)
    numpy.testing.assert_array_equal(y1.array, reference_max_pool(x, 2, 2, 0, True)[0])


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.max_pooling_2d(numpy.zeros((2, 3, 4), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType):
        F.max_pooling_2d(numpy.zeros((2, 3, 4, 4), numpy.int32), 2)
    with pytest.raises(type_check.InvalidType):
        F.max_pooling_2d(numpy.zeros((2, 3, 1, 4), numpy.float32), 3, cover_all=False)
    with pytest.raises(ValueError):
        F.max_pooling_2d(numpy.zeros((2, 3, 4, 4), numpy.float32), 0)

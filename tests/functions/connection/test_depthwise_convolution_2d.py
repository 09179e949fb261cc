"""Tests of F.depthwise_convolution_2d against per-channel loop convolutions."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def reference_depthwise(x, W, b, s, p):
    n, c, h, w = x.shape
    m, _, kh, kw = W.shape
    xp = numpy.zeros((n, c, h + 2 * p, w + 2 * p))
    xp[:, :, p:p + h, p:p + w] = x
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    y = numpy.zeros((n, c * m, oh, ow))
    for ci, mi, i, j in itertools.product(range(c), range(m), range(oh), range(ow)):
        y[:, ci * m + mi, i, j] = (xp[:, ci, i * s:i * s + kh, j * s:j * s + kw] *
                                   W[mi, ci]).sum(axis=(1, 2))
    if b is not None:
        y += b[None, :, None, None]
    return y


@pytest.mark.parametrize('s,p', [(1, 0), (2, 1)])
def test_forward_and_backward(s, p):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((2, 3, 5, 5))
    W = rng.standard_normal((2, 3, 3, 3))
    b = rng.standard_normal(6)
    y = F.depthwise_convolution_2d(x, W, b, s, p)
    numpy.testing.assert_allclose(y.array, reference_depthwise(x, W, b, s, p), rtol=1e-10)
    gy = rng.standard_normal(y.shape)
    gradient_check.check_backward(lambda x, W, b: F.depthwise_convolution_2d(x, W, b, s, p),
                                  (x, W, b), gy, dtype=numpy.float64)
    gradient_check.check_double_backward(
        lambda x, W: F.depthwise_convolution_2d(x, W, None, s, p), (x, W), gy,
        (rng.standard_normal(x.shape), rng.standard_normal(W.shape)), dtype=numpy.float64)
    x32, W32 = x.astype(numpy.float32), W.astype(numpy.float32)
    gradient_check.check_backward(lambda x, W: F.depthwise_convolution_2d(x, W, None, s, p),
                                  (x32, W32), gy.astype(numpy.float32), dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.depthwise_convolution_2d(numpy.zeros((1, 3, 5, 5), numpy.float32),
                                   numpy.zeros((2, 4, 3, 3), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.depthwise_convolution_2d(numpy.zeros((1, 3, 5), numpy.float32),
                                   numpy.zeros((2, 3, 3, 3), numpy.float32))

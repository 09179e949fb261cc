"""Tests of F.dilated_convolution_2d: a convolution with a zero-stuffed kernel."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def test_equals_convolution_with_zero_stuffed_kernel():
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((2, 3, 8, 7))
    W = rng.standard_normal((4, 3, 2, 3))
    b = rng.standard_normal(4)
    stuffed = numpy.zeros((4, 3, 3, 5))
    stuffed[:, :, ::2, ::2] = W
    y = F.dilated_convolution_2d(x, W, b, stride=1, pad=1, dilate=2)
    expected = F.convolution_2d(x, stuffed, b, stride=1, pad=1)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-10)
    # And an explicit window sum at one output position.
    xp = numpy.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    manual = (xp[:, None, :, 0:3:2, 0:5:2] * W[None]).sum(axis=(2, 3, 4)) + b
    numpy.testing.assert_allclose(y.array[:, :, 0, 0], manual, rtol=1e-10)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(dtype):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((1, 2, 7, 7)).astype(dtype)
    W = rng.standard_normal((3, 2, 2, 2)).astype(dtype)

    def f(x, W):
        return F.dilated_convolution_2d(x, W, None, 2, 1, 2, True)
    gy = rng.standard_normal(f(x, W).shape).astype(dtype)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, (x, W), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            f, (x, W), gy, (rng.standard_normal(x.shape), rng.standard_normal(W.shape)),
            dtype=numpy.float64)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.dilated_convolution_2d(numpy.zeros((1, 2, 4, 4), numpy.float32),
                                 numpy.zeros((3, 2, 3, 3), numpy.float32), dilate=2)

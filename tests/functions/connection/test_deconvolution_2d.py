"""Tests of F.deconvolution_2d against a direct scatter written here."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


def reference_deconv2d(x, W, b, stride, pad, dilate, groups, outsize):
    n, ic, h, w = x.shape
    _, ocg, kh, kw = W.shape
    oc = ocg * groups
    (sy, sx), (ph, pw), (dy, dx) = stride, pad, dilate
    if outsize is None:
        outsize = (sy * (h - 1) + (kh - 1) * dy + 1 - 2 * ph,
                   sx * (w - 1) + (kw - 1) * dx + 1 - 2 * pw)
    big = numpy.zeros((n, oc, outsize[0] + 2 * ph + sy * kh * dy,
                       outsize[1] + 2 * pw + sx * kw * dx))
    icg = ic // groups
    for i, j, ci, a, bb in itertools.product(range(h), range(w), range(ic), range(kh),
                                             range(kw)):
        g = ci // icg
        big[:, g * ocg:(g + 1) * ocg, i * sy + a * dy, j * sx + bb * dx] += \
            x[:, ci, i, j][:, None] * W[ci, :, a, bb][None, :]
    y = big[:, :, ph:ph + outsize[0], pw:pw + outsize[1]]
    if b is not None:
        y = y + b[None, :, None, None]
    return y


CASES = [
    # x shape, W shape, stride, pad, dilate, groups, outsize
    ((2, 3, 3, 4), (3, 2, 3, 2), 1, 0, 1, 1, None),
    ((2, 2, 3, 3), (2, 3, 3, 3), 2, 1, 1, 1, None),
    ((2, 2, 3, 3), (2, 3, 3, 3), 2, 1, 1, 1, (6, 6)),
    ((1, 4, 3, 2), (4, 1, 2, 3), (2, 1), (0, 1), 2, 2, None),
]


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,outsize', CASES)
def test_forward(x_shape, w_shape, stride, pad, dilate, groups, outsize):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(numpy.float32)
    W = rng.standard_normal(w_shape).astype(numpy.float32)
    b = rng.standard_normal(w_shape[1] * groups).astype(numpy.float32)
    y = F.deconvolution_2d(x, W, b, stride, pad, outsize, dilate=dilate, groups=groups)
    expected = reference_deconv2d(x, W, b, _pair(stride), _pair(pad), _pair(dilate), groups,
                                  outsize)
    assert y.shape == expected.shape
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,outsize', CASES)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(x_shape, w_shape, stride, pad, dilate, groups, outsize, dtype):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal(x_shape).astype(dtype)
    W = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[1] * groups).astype(dtype)

    def f(x, W, b):
        return F.deconvolution_2d(x, W, b, stride, pad, outsize, dilate=dilate,
                                  groups=groups)
    gy = rng.standard_normal(f(x, W, b).shape).astype(dtype)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, (x, W, b), gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,outsize', CASES)
def test_double_backward(x_shape, w_shape, stride, pad, dilate, groups, outsize):
    rng = numpy.random.default_rng(2)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)

    def f(x, W):
        return F.deconvolution_2d(x, W, None, stride, pad, outsize, dilate=dilate,
                                  groups=groups)
    gy = rng.standard_normal(f(x, W).shape)
    gradient_check.check_double_backward(
        f, (x, W), gy, (rng.standard_normal(x.shape), rng.standard_normal(W.shape)),
        dtype=numpy.float64)


def test_is_adjoint_of_convolution():
    rng = numpy.random.default_rng(3)
    x = rng.standard_normal((2, 3, 7, 6))
    W = rng.standard_normal((4, 3, 3, 3))
    y = F.convolution_2d(x, W, stride=2, pad=1)
    gy = rng.standard_normal(y.shape)
    gx = F.deconvolution_2d(gy, W, stride=2, pad=1, outsize=(7, 6))
    # <conv(x), gy> == <x, deconv(gy)>
    numpy.testing.assert_allclose((y.array * gy).sum(), (x * gx.array).sum(), rtol=1e-10)


def test_invalid():
    x = numpy.zeros((1, 2, 3, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_2d(x, numpy.zeros((3, 2, 2, 2), numpy.float32))  # channels
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_2d(x, numpy.zeros((2, 2, 2, 2), numpy.float64))  # dtype
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_2d(x, numpy.zeros((2, 2, 3, 3), numpy.float32), stride=2,
                           outsize=(10, 10))  # outsize does not map back to 3x3
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_2d(x, numpy.zeros((2, 2, 2, 2), numpy.float32),
                           numpy.zeros(3, numpy.float32))  # bias size

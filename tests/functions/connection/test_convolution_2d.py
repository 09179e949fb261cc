"""Tests of F.convolution_2d against a direct loop convolution written here."""
import itertools

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


def reference_conv2d(x, W, b, stride, pad, dilate, groups, cover_all):
    n, c, h, w = x.shape
    oc, cg, kh, kw = W.shape
    (sy, sx), (ph, pw), (dy, dx) = stride, pad, dilate
    ekh, ekw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    extra_h = sy - 1 if cover_all else 0
    extra_w = sx - 1 if cover_all else 0
    out_h = (h + 2 * ph - ekh + extra_h) // sy + 1
    out_w = (w + 2 * pw - ekw + extra_w) // sx + 1
    xp = numpy.zeros((n, c, h + 2 * ph + sy + ekh, w + 2 * pw + sx + ekw))
    xp[:, :, ph:ph + h, pw:pw + w] = x
    y = numpy.zeros((n, oc, out_h, out_w))
    ocg = oc // groups
    for i, j, o in itertools.product(range(out_h), range(out_w), range(oc)):
        g = o // ocg
        for ci, a, bb in itertools.product(range(cg), range(kh), range(kw)):
            y[:, o, i, j] += xp[:, g * cg + ci, i * sy + a * dy, j * sx + bb * dx] * \
                W[o, ci, a, bb]
    if b is not None:
        y += b[None, :, None, None]
    return y


CASES = [
    # x shape, W shape, stride, pad, dilate, groups, cover_all
    ((2, 3, 5, 4), (4, 3, 3, 2), 1, 0, 1, 1, False),
    ((2, 3, 6, 7), (2, 3, 3, 3), 2, 1, 1, 1, False),
    ((1, 4, 7, 6), (6, 2, 3, 2), (2, 1), (1, 0), 1, 2, False),
    ((2, 2, 7, 7), (3, 2, 2, 2), 1, 1, 2, 1, False),
    ((2, 2, 7, 6), (3, 2, 2, 3), 3, (0, 1), 1, 1, True),
]


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
@pytest.mark.parametrize('nobias', [False, True])
def test_forward_matches_loop_reference(x_shape, w_shape, stride, pad, dilate, groups,
                                        cover_all, nobias):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(numpy.float32)
    W = rng.standard_normal(w_shape).astype(numpy.float32)
    b = None if nobias else rng.standard_normal(w_shape[0]).astype(numpy.float32)
    y = F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate, groups=groups)
    expected = reference_conv2d(x, W, b, _pair(stride), _pair(pad), _pair(dilate), groups,
                                cover_all)
    assert y.dtype == numpy.float32
    assert y.shape == expected.shape
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(x_shape, w_shape, stride, pad, dilate, groups, cover_all, dtype):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal(x_shape).astype(dtype)
    W = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    y = F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate, groups=groups)
    gy = rng.standard_normal(y.shape).astype(dtype)

    def f(x, W, b):
        return F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate,
                                groups=groups)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, (x, W, b), gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
def test_double_backward(x_shape, w_shape, stride, pad, dilate, groups, cover_all):
    rng = numpy.random.default_rng(2)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    y = F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate, groups=groups)
    gy = rng.standard_normal(y.shape)

    def f(x, W, b):
        return F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate,
                                groups=groups)
    gradient_check.check_double_backward(
        f, (x, W, b), gy, (rng.standard_normal(x.shape), rng.standard_normal(W.shape),
                           rng.standard_normal(b.shape)), dtype=numpy.float64)


def test_float16_backward():
    rng = numpy.random.default_rng(3)
    x = rng.uniform(-1, 1, (1, 2, 4, 4)).astype(numpy.float16)
    W = rng.uniform(-1, 1, (2, 2, 2, 2)).astype(numpy.float16)
    y = F.convolution_2d(x, W)
    assert y.dtype == numpy.float16
    gy = rng.uniform(-1, 1, y.shape).astype(numpy.float16)
    gradient_check.check_backward(lambda x, W: F.convolution_2d(x, W), (x, W), gy,
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)


def test_gradients_match_reference_directly():
    # Backward against finite differences of the independent reference.
    rng = numpy.random.default_rng(4)
    x = rng.standard_normal((1, 2, 4, 4))
    W = rng.standard_normal((3, 2, 2, 2))
    xv = dchain.Variable(x)
    y = F.convolution_2d(xv, W, stride=1, pad=1)
    gy = rng.standard_normal(y.shape)
    y.grad = gy
    y.backward()
    eps = 1e-6
    num = numpy.zeros_like(x)
    for idx in numpy.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        num[idx] = ((reference_conv2d(xp, W, None, (1, 1), (1, 1), (1, 1), 1, False) -
                     reference_conv2d(xm, W, None, (1, 1), (1, 1), (1, 1), 1, False)) *
                    gy).sum() / (2 * eps)
    numpy.testing.assert_allclose(xv.grad, num, atol=1e-6)


@pytest.mark.parametrize('x_shape,w_shape,dtypes', [
    ((2, 3, 5, 5), (4, 2, 3, 3), (numpy.float32, numpy.float32)),  # channel mismatch
    ((2, 3, 5), (4, 3, 3, 3), (numpy.float32, numpy.float32)),  # wrong ndim
    ((2, 3, 5, 5), (4, 3, 3, 3), (numpy.float32, numpy.float64)),  # dtype mismatch
    ((2, 3, 5, 5), (4, 3, 3, 3), (numpy.int32, numpy.int32)),  # not floating
    ((2, 3, 2, 2), (4, 3, 3, 3), (numpy.float32, numpy.float32)),  # kernel too large
])
def test_invalid_type(x_shape, w_shape, dtypes):
    x = numpy.zeros(x_shape, dtype=dtypes[0])
    W = numpy.zeros(w_shape, dtype=dtypes[1])
    with pytest.raises(type_check.InvalidType):
        F.convolution_2d(x, W)


def test_invalid_bias_shape():
    with pytest.raises(type_check.InvalidType):
        F.convolution_2d(numpy.zeros((1, 3, 4, 4), numpy.float32),
                         numpy.zeros((2, 3, 3, 3), numpy.float32),
                         numpy.zeros(3, numpy.float32))


def test_invalid_arguments():
    x = numpy.zeros((1, 2, 4, 4), numpy.float32)
    W = numpy.zeros((2, 2, 3, 3), numpy.float32)
    with pytest.raises(ValueError):
        F.convolution_2d(x, W, stride=0)
    with pytest.raises(ValueError):
        F.convolution_2d(x, W, pad=-1)
    with pytest.raises(ValueError):
        F.convolution_2d(x, W, groups=0)
    with pytest.raises(type_check.InvalidType):
        F.convolution_2d(x, W, groups=2)  # W would need 1 input channel per group


def test_output_is_usable_as_regular_array():
    rng = numpy.random.default_rng(5)
    x = rng.standard_normal((2, 1, 5, 5)).astype(numpy.float32)
    W = rng.standard_normal((3, 1, 3, 3)).astype(numpy.float32)
    y = F.convolution_2d(x, W, pad=1)
    flat = y.array.reshape(2, -1)
    expected = reference_conv2d(x, W, None, (1, 1), (1, 1), (1, 1), 1, False)
    numpy.testing.assert_allclose(flat, expected.reshape(2, -1), rtol=1e-4, atol=1e-4)


def test_node_class_is_exported():
    x = numpy.ones((1, 1, 3, 3), numpy.float32)
    W = numpy.ones((1, 1, 2, 2), numpy.float32)
    y, = F.Convolution2DFunction(stride=1).apply((x, W))
    numpy.testing.assert_allclose(y.array, numpy.full((1, 1, 2, 2), 4.0))

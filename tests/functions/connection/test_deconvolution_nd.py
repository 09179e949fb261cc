"""Tests of F.deconvolution_nd / 1d / 3d: adjointness with convolution_nd, gradients."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import conv_nd
from dchain.utils import type_check


def reference_deconv_1d(x, W, stride, pad):
    n, ic, w = x.shape
    _, oc, k = W.shape
    out = stride * (w - 1) + k - 2 * pad
    big = numpy.zeros((n, oc, stride * (w - 1) + k))
    for i in range(w):
        for a in range(k):
            big[:, :, i * stride + a] += x[:, :, i] @ W[:, :, a]
    return big[:, :, pad:pad + out]


def test_forward_1d_matches_reference():
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((2, 3, 5))
    W = rng.standard_normal((3, 2, 3))
    y = F.deconvolution_1d(x, W, stride=2, pad=1)
    numpy.testing.assert_allclose(y.array, reference_deconv_1d(x, W, 2, 1), rtol=1e-10)
    numpy.testing.assert_array_equal(y.array,
                                     F.deconvolution_nd(x, W, stride=2, pad=1).array)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups', [
    ((2, 3, 4), (3, 2, 3), (2,), (1,), (1,), 1),
    ((1, 2, 3, 2, 3), (2, 2, 2, 2, 2), (2, 1, 2), (0, 1, 1), (1, 2, 1), 2),
])
def test_adjoint_and_gradients(x_shape, w_shape, stride, pad, dilate, groups):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)
    y = F.deconvolution_nd(x, W, None, stride, pad, None, dilate, groups)
    gy = rng.standard_normal(y.shape)
    # The deconvolution is the transpose of the convolution with the same W.
    cx = F.convolution_nd(gy, W, None, stride, pad, False, dilate, groups)
    numpy.testing.assert_allclose((y.array * gy).sum(), (x * cx.array).sum(), rtol=1e-10)

    def f(x, W):
        return F.deconvolution_nd(x, W, None, stride, pad, None, dilate, groups)
    gradient_check.check_backward(f, (x, W), gy, dtype=numpy.float64)
    gradient_check.check_double_backward(
        f, (x, W), gy, (rng.standard_normal(x.shape), rng.standard_normal(W.shape)),
        dtype=numpy.float64)
    x32, W32 = x.astype(numpy.float32), W.astype(numpy.float32)
    gradient_check.check_backward(f, (x32, W32), gy.astype(numpy.float32),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    wrapper = F.deconvolution_1d if len(x_shape) == 3 else F.deconvolution_3d
    numpy.testing.assert_array_equal(
        wrapper(x, W, None, stride, pad, None, dilate, groups).array, y.array)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_1d(numpy.zeros((1, 2, 3, 3), numpy.float32),
                           numpy.zeros((2, 2, 2, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.deconvolution_nd(numpy.zeros((1, 2, 3), numpy.float32),
                           numpy.zeros((3, 2, 2), numpy.float32))


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,outsize', [
    ((2, 3, 5), (3, 2, 3), (2,), (1,), (1,), 1, None),
    ((2, 4, 5, 3), (4, 3, 3, 2), (1, 1), (1, 0), (1, 1), 1, None),
    ((1, 4, 4, 3), (4, 1, 2, 3), (2, 1), (2, 1), (2, 1), 2, (6, 3)),
    ((1, 2, 3, 2, 3), (2, 2, 2, 2, 2), (2, 1, 2), (0, 1, 1), (1, 2, 1), 2, None),
])
def test_row_blocks(monkeypatch, x_shape, w_shape, stride, pad, dilate, groups, outsize):
    # Large inputs are processed in blocks of rows; one-row blocks must give the same sum.
    import importlib
    deconv_module = importlib.import_module('dchain.functions.connection.deconvolution_nd')
    rng = numpy.random.default_rng(4)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[1] * groups)
    whole = F.deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups).array
    monkeypatch.setattr(deconv_module, '_BLOCK_BYTES', 1)
    monkeypatch.setattr(conv_nd, 'single_blas_thread', lambda: True)
    assert len(deconv_module._deconv_row_blocks(x, 1)) == x_shape[2]
    blocked = F.deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups).array
    numpy.testing.assert_allclose(blocked, whole, rtol=1e-12, atol=1e-12)
    if len(x_shape) == 3:
        expected = reference_deconv_1d(x, W, stride[0], pad[0]) + b[:, None]
        numpy.testing.assert_allclose(blocked, expected, rtol=1e-10)


_X3 = numpy.zeros((1, 2, 3, 3, 3), numpy.float32)
_W3 = numpy.zeros((2, 4, 2, 2, 2), numpy.float32)


@pytest.mark.parametrize('x,W,b,kwargs,error,message', [
    (_X3[0], _W3, None, {}, type_check.InvalidType, r'x\.ndim == 5'),
    (_X3, _W3[0], None, {}, type_check.InvalidType, r'W\.ndim == 5'),
    (_X3.astype(numpy.int32), _W3.astype(numpy.int32), None, {}, type_check.InvalidType,
     r"x\.dtype\.kind == 'f'"),
    (_X3, _W3.astype(numpy.float64), None, {}, type_check.InvalidType,
     r'W\.dtype == x\.dtype'),
    (_X3, _W3[:1], None, {}, type_check.InvalidType, r'x\.shape\[1\] == W\.shape\[0\]'),
    (_X3, _W3, numpy.zeros(3, numpy.float32), {}, type_check.InvalidType,
     r'b\.shape\[0\] == W\.shape\[1\] \* 1'),
    (_X3, _W3, numpy.zeros((1, 4), numpy.float32), {}, type_check.InvalidType,
     r'b\.ndim == 1'),
    (_X3, _W3, numpy.zeros(4, numpy.float64), {}, type_check.InvalidType,
     r'b\.dtype == x\.dtype'),
    (_X3, _W3, None, {'groups': 3}, type_check.InvalidType, r'W\.shape\[0\] % 3 == 0'),
    (_X3, _W3, None, {'groups': 0}, ValueError, r'groups must be a positive int, got 0'),
    (_X3, _W3, None, {'stride': 0}, ValueError, r'stride must be >= 1, got 0'),
    (_X3, _W3, None, {'stride': (1, 1)}, ValueError, r'stride must have 3 elements'),
    (_X3, _W3, None, {'pad': -1}, ValueError, r'pad must be >= 0, got -1'),
    (_X3, _W3, None, {'dilate': 0}, ValueError, r'dilate must be >= 1, got 0'),
    # The padding crops the whole output: s (d - 1) + k - 2 p = 4 - 6 < 1.
    (_X3, _W3, None, {'pad': 3}, type_check.InvalidType,
     r'\(x\.shape\[2\] - 1\) \* 1 \+ \(\(W\.shape\[2\] - 1\) \* 1 \+ 1\) > 6'),
    (_X3, _W3, None, {'outsize': (9, 4, 4)}, type_check.InvalidType,
     r'outsize\[0\] = 9 does not map to x\.shape\[2\] = 3'),
    (_X3, _W3, None, {'outsize': (4, 4)}, ValueError, r'outsize must have 3 elements'),
], ids=['x-4d', 'W-4d', 'int-x', 'W-dtype', 'channels', 'b-length', 'b-2d', 'b-dtype',
        'groups-not-dividing', 'groups-0', 'stride-0', 'stride-length', 'pad-negative',
        'dilate-0', 'pad-too-large', 'outsize-mismatch', 'outsize-length'])
def test_deconvolution_3d_bad_input(x, W, b, kwargs, error, message):
    with pytest.raises(error, match=message):
        F.deconvolution_3d(x, W, b, **kwargs)

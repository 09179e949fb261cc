"""Tests of F.convolution_nd / convolution_1d / convolution_3d against a loop reference."""
import importlib
import itertools
import os
import subprocess
import sys

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import conv_nd
from dchain.utils import type_check


def reference_conv_nd(x, W, b, stride, pad, dilate, groups, cover_all):
    nd = x.ndim - 2
    n, c = x.shape[:2]
    oc, cg = W.shape[:2]
    ks = W.shape[2:]
    outs = []
    for i in range(nd):
        ek = (ks[i] - 1) * dilate[i] + 1
        extra = stride[i] - 1 if cover_all else 0
        outs.append((x.shape[2 + i] + 2 * pad[i] - ek + extra) // stride[i] + 1)
    padded = numpy.zeros((n, c) + tuple(x.shape[2 + i] + 2 * pad[i] + stride[i] +
                                         (ks[i] - 1) * dilate[i] + 1 for i in range(nd)))
    padded[(slice(None), slice(None)) + tuple(slice(pad[i], pad[i] + x.shape[2 + i])
                                              for i in range(nd))] = x
    y = numpy.zeros((n, oc) + tuple(outs))
    ocg = oc // groups
    for o in itertools.product(*[range(s) for s in outs]):
        for g in range(groups):
            window = padded[(slice(None), slice(g * cg, (g + 1) * cg)) + tuple(
                slice(o[i] * stride[i], o[i] * stride[i] + (ks[i] - 1) * dilate[i] + 1,
                      dilate[i]) for i in range(nd))]
            wg = W[g * ocg:(g + 1) * ocg]
            axes = list(range(1, nd + 2))
            y[(slice(None), slice(g * ocg, (g + 1) * ocg)) + o] = numpy.tensordot(
                window, wg, axes=(axes, axes))
    if b is not None:
        y += b.reshape((1, oc) + (1,) * nd)
    return y


CASES = [
    # x shape, W shape, stride, pad, dilate, groups, cover_all
    ((2, 3, 7), (4, 3, 3), (2,), (1,), (1,), 1, False),
    ((2, 4, 8), (2, 2, 2), (3,), (0,), (2,), 2, True),
    ((1, 2, 4, 5, 4), (3, 2, 2, 3, 2), (1, 2, 1), (1, 0, 1), (1, 1, 2), 1, False),
    ((2, 2, 4, 4, 3), (2, 1, 2, 2, 2), (2, 2, 1), (0, 1, 0), (1, 1, 1), 2, True),
]


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
def test_forward(x_shape, w_shape, stride, pad, dilate, groups, cover_all):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(numpy.float32)
    W = rng.standard_normal(w_shape).astype(numpy.float32)
    b = rng.standard_normal(w_shape[0]).astype(numpy.float32)
    y = F.convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)
    expected = reference_conv_nd(x, W, b, stride, pad, dilate, groups, cover_all)
    assert y.shape == expected.shape
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-4)
    wrapper = F.convolution_1d if len(x_shape) == 3 else F.convolution_3d
    y2 = wrapper(x, W, b, stride, pad, cover_all, dilate, groups)
    numpy.testing.assert_array_equal(y.array, y2.array)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(x_shape, w_shape, stride, pad, dilate, groups, cover_all, dtype):
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal(x_shape).astype(dtype)
    W = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)

    def f(x, W, b):
        return F.convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)
    gy = rng.standard_normal(f(x, W, b).shape).astype(dtype)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, (x, W, b), gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES)
def test_double_backward(x_shape, w_shape, stride, pad, dilate, groups, cover_all):
    rng = numpy.random.default_rng(2)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)

    def f(x, W):
        return F.convolution_nd(x, W, None, stride, pad, cover_all, dilate, groups)
    gy = rng.standard_normal(f(x, W).shape)
    gradient_check.check_double_backward(
        f, (x, W), gy, (rng.standard_normal(x.shape), rng.standard_normal(W.shape)),
        dtype=numpy.float64)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.convolution_nd(numpy.zeros((1, 2, 5), numpy.float32),
                         numpy.zeros((3, 2, 2, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.convolution_1d(numpy.zeros((1, 2, 5, 5), numpy.float32),
                         numpy.zeros((3, 2, 2, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.convolution_3d(numpy.zeros((1, 2, 5, 5, 5), numpy.float32),
                         numpy.zeros((3, 3, 2, 2, 2), numpy.float32))
    with pytest.raises(ValueError):
        F.convolution_nd(numpy.zeros((1, 2, 5), numpy.float32),
                         numpy.zeros((3, 2, 2), numpy.float32), stride=(1, 1))


@pytest.mark.parametrize('x_shape,w_shape,stride,pad,dilate,groups,cover_all', CASES + [
    ((2, 3, 9, 6), (4, 3, 3, 3), (1, 1), (1, 1), (1, 1), 1, False),
    ((2, 4, 11, 5), (6, 2, 3, 2), (2, 1), (2, 0), (2, 1), 2, True),
])
def test_row_blocks(monkeypatch, x_shape, w_shape, stride, pad, dilate, groups, cover_all):
    # Large inputs are convolved in blocks of output rows (im2col of each block stays in
    # cache); force one- or two-row blocks on small inputs and compare with the reference.
    conv_module = importlib.import_module('dchain.functions.connection.convolution_nd')
    rng = numpy.random.default_rng(3)
    x = rng.standard_normal(x_shape)
    W = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    y0 = F.convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)
    gy = rng.standard_normal(y0.shape)
    row_bytes = (x.itemsize * x_shape[0] * x_shape[1] * int(numpy.prod(w_shape[2:])) *
                 int(numpy.prod(y0.shape[3:])))
    for block_bytes in (1, 2 * row_bytes):
        monkeypatch.setattr(conv_module, '_BLOCK_BYTES', block_bytes)
        monkeypatch.setattr(conv_nd, 'single_blas_thread', lambda: True)
        blocks = conv_module._row_blocks(x, w_shape[2:], y0.shape[2:])
        assert len(blocks) == -(-y0.shape[2] // (1 if block_bytes == 1 else 2))
        assert blocks[0][0] == 0 and blocks[-1][1] == y0.shape[2]
        y = F.convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)
        numpy.testing.assert_allclose(
            y.array, reference_conv_nd(x, W, b, stride, pad, dilate, groups, cover_all),
            rtol=1e-10, atol=1e-10)
        Wv = dchain.Variable(W)
        y = F.convolution_nd(x, Wv, None, stride, pad, cover_all, dilate, groups)
        y.grad = gy
        y.backward()
        # Weight gradient: sum over the output of gy times the input window.
        expected = numpy.zeros_like(W)
        for idx in itertools.product(*[range(s) for s in W.shape]):
            e = numpy.zeros_like(W)
            e[idx] = 1
            expected[idx] = (reference_conv_nd(x, e, None, stride, pad, dilate, groups,
                                               cover_all) * gy).sum()
        numpy.testing.assert_allclose(Wv.grad, expected, rtol=1e-10, atol=1e-10)


def _whole_batch_gemm(monkeypatch):
    # As with several BLAS threads: one GEMM over the whole batch, columns kept for backward.
    monkeypatch.setattr(conv_nd, 'single_blas_thread', lambda: False)


def test_kept_columns_serve_one_weight_gradient(monkeypatch):
    _whole_batch_gemm(monkeypatch)
    rng = numpy.random.default_rng(4)
    x = rng.standard_normal((3, 2, 6, 5))
    W = dchain.Variable(rng.standard_normal((4, 2, 3, 3)))
    b = dchain.Variable(rng.standard_normal(4))
    y = F.convolution_2d(x, W, b, pad=1)
    # The bias is added by the GEMM: a row of ones under the columns, kept with them so that
    # the weight gradient's GEMM gives the bias gradient too.
    numpy.testing.assert_allclose(
        y.array, reference_conv_nd(x, W.array, b.array, (1, 1), (1, 1), (1, 1), 1, False),
        rtol=1e-12, atol=1e-12)
    conv = y.creator
    assert conv._columns is not None and conv._columns.shape == (2 * 3 * 3 + 1, 6 * 5 * 3)
    numpy.testing.assert_array_equal(conv._columns[-1], 1)
    gy = rng.standard_normal(y.shape)
    y.grad = gy
    y.backward()
    assert conv._columns is None       # dropped: the graph no longer holds them
    first = W.grad.copy()
    assert W.grad.flags.c_contiguous
    numpy.testing.assert_allclose(b.grad, gy.sum(axis=(0, 2, 3)), rtol=1e-12)
    # A second backward over the same graph rebuilds the columns and gets the same gradient.
    W.cleargrad()
    y.grad = gy
    y.backward()
    numpy.testing.assert_allclose(W.grad, first, rtol=1e-12)
    expected = numpy.zeros_like(W.array)
    for idx in itertools.product(*[range(s) for s in W.shape]):
        e = numpy.zeros_like(W.array)
        e[idx] = 1
        expected[idx] = (reference_conv_nd(x, e, None, (1, 1), (1, 1), (1, 1), 1, False) *
                         gy).sum()
    numpy.testing.assert_allclose(first, expected, rtol=1e-10, atol=1e-10)


def test_columns_not_kept_without_backprop(monkeypatch):
    _whole_batch_gemm(monkeypatch)
    x = numpy.ones((2, 2, 5, 5), numpy.float32)
    W = dchain.Variable(numpy.ones((3, 2, 3, 3), numpy.float32))
    with dchain.no_backprop_mode():
        conv_module = importlib.import_module('dchain.functions.connection.convolution_nd')
        func = conv_module.ConvolutionND(2, pad=1)
        func.apply((x, W))
    assert func._columns is None


def test_kept_columns_are_capped(monkeypatch):
    _whole_batch_gemm(monkeypatch)
    conv_module = importlib.import_module('dchain.functions.connection.convolution_nd')
    rng = numpy.random.default_rng(5)
    x = dchain.Variable(rng.standard_normal((4, 8, 16, 16)))
    W1 = dchain.Variable(rng.standard_normal((8, 8, 3, 3)))
    W2 = dchain.Variable(rng.standard_normal((8, 8, 3, 3)))
    col_bytes = 8 * 9 * 16 * 16 * 4 * 8         # one convolution's float64 columns
    kept_before = conv_module._KeptColumns.nbytes
    # Room for one convolution's columns: the first keeps them, the second rebuilds its own.
    with dchain.using_config('conv_kept_columns_mb', (kept_before + col_bytes) / 2 ** 20):
        h = F.convolution_2d(x, W1, pad=1)
        y = F.convolution_2d(h, W2, pad=1)
        assert h.creator._columns is not None and y.creator._columns is None
        assert conv_module._KeptColumns.nbytes == kept_before + col_bytes
        y.grad = numpy.ones(y.shape)
        y.backward()
    assert conv_module._KeptColumns.nbytes == kept_before     # freed with the columns
    expected = [W1.grad.copy(), W2.grad.copy()]
    # And with none kept at all, the same gradients.
    W1.cleargrad()
    W2.cleargrad()
    with dchain.using_config('conv_kept_columns_mb', 0):
        y = F.convolution_2d(F.convolution_2d(x, W1, pad=1), W2, pad=1)
        assert y.creator._columns is None
        y.grad = numpy.ones(y.shape)
        y.backward()
    numpy.testing.assert_allclose(W1.grad, expected[0], rtol=1e-12)
    numpy.testing.assert_allclose(W2.grad, expected[1], rtol=1e-12)


def test_kept_columns_limit_from_the_environment():
    code = 'import dchain; print(dchain.config.conv_kept_columns_mb)'
    env = dict(os.environ, DCHAIN_CONV_KEPT_COLUMNS_MB='7')
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == '7', out.stderr
    env['DCHAIN_CONV_KEPT_COLUMNS_MB'] = 'lots'
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and 'DCHAIN_CONV_KEPT_COLUMNS_MB' in out.stderr and \
        'non-negative integer' in out.stderr

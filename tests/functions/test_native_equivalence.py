"""The public functions over the compiled kernels against the same functions over their numpy
code (``_native.available = False``), on awkward inputs: F.convolution_2d and
F.deconvolution_2d (also cut into row blocks, which gives im2col/col2im negative pads),
F.max_pooling_2d (cover_all either way) and F.relu followed by it (the fused gate), with
gradient checks on the kernel path.

Forward results that come from im2col, max pooling's maxima and GEMMs over identical columns
are bitwise equal; gradients through col2im or the pooling scatter only to rounding.
"""
import importlib

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import _native
from dchain import gradient_check
from dchain.utils import conv_nd

# (The package exports functions of the same names as these modules.)
convolution_nd = importlib.import_module('dchain.functions.connection.convolution_nd')
deconvolution_nd = importlib.import_module('dchain.functions.connection.deconvolution_nd')


@pytest.fixture
def kernel_calls(monkeypatch, native_calls):
    """The compiled entry points called, with the kernels available."""
    monkeypatch.setattr(_native, 'available', True)
    return native_calls


def _both(monkeypatch, calls, fn):
    """``(fn(), calls)`` with the kernels, then with numpy (where no kernel may run)."""
    results = []
    for available in (True, False):
        monkeypatch.setattr(_native, 'available', available)
        del calls[:]
        results.append((fn(), list(calls)))
    monkeypatch.setattr(_native, 'available', True)
    assert results[1][1] == []
    return results


def _tol(dtype):
    return dict(rtol=1e-5, atol=1e-5) if dtype == numpy.float32 else dict(rtol=1e-12,
                                                                          atol=1e-12)


def _layout(x, layout):
    """``x`` (n, c, h, w) as an equal array in ``layout``."""
    if layout == 'c':
        return x
    if layout == 'batch-last':   # what a previous convolution hands on
        return numpy.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    if layout == 'transposed':   # h and w swapped in memory
        return numpy.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    if layout == 'steps':
        big = numpy.full((x.shape[0] * 2, x.shape[1], x.shape[2] * 2, x.shape[3] + 1),
                         numpy.nan, x.dtype)
        view = big[::2, :, ::2, 1:]
    elif layout == 'reversed':
        big = numpy.full(x.shape, numpy.nan, x.dtype)
        view = big[::-1, :, ::-1, ::-1]
    view[...] = x
    return view


CONVS = [  # n, c, oc, (h, w), ksize, stride, pad, dilate, cover_all
    (1, 1, 2, (5, 7), 3, 1, 1, 1, False),
    (7, 3, 4, (6, 5), 3, 1, 1, 1, False),      # one below MIN_BATCH
    (8, 3, 4, (6, 5), 3, 1, 1, 1, False),      # MIN_BATCH
    (9, 1, 3, (7, 9), (2, 3), (3, 4), 0, 1, True),    # stride > kernel, cover_all
    (8, 2, 2, (5, 5), 2, 1, (2, 3), 1, False),  # pad >= kernel
    (10, 2, 3, (9, 8), 3, (2, 1), 2, (2, 3), True),  # dilation
    (8, 16, 5, (3, 5), 1, 1, 0, 1, False),     # 1x1, many channels
    (8, 3, 2, (7, 7), 1, 3, 1, 1, True),       # 1x1, stride > kernel, padding
]


def _conv(x, W, b, geometry, dtype, deconv=False, outsize=None):
    _, _, _, _, _, stride, pad, dilate, cover_all = geometry
    xv, Wv, bv = (dchain.Variable(a) for a in (x, W, b))
    if deconv:
        y = F.deconvolution_2d(xv, Wv, bv, stride, pad, outsize, dilate=dilate)
    else:
        y = F.convolution_2d(xv, Wv, bv, stride, pad, cover_all, dilate=dilate)
    gy = numpy.random.RandomState(1).standard_normal(y.shape).astype(dtype)
    y.grad = gy
    y.backward()
    return y.array.copy(), xv.grad.copy(), Wv.grad.copy(), bv.grad.copy()


@pytest.mark.parametrize('geometry', CONVS)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_convolution_2d_paths_agree(geometry, dtype, kernel_calls, monkeypatch):
    n, c, oc, size, ksize, *_ = geometry
    k = conv_nd.as_tuple(ksize, 2, 'ksize')
    rng = numpy.random.RandomState(0)
    W = rng.standard_normal((oc, c) + k).astype(dtype)
    b = rng.standard_normal(oc).astype(dtype)
    for layout in ('c', 'batch-last', 'transposed', 'steps', 'reversed'):
        x = _layout(rng.standard_normal((n, c) + size).astype(dtype), layout)
        (native, calls), (ref, _) = _both(monkeypatch, kernel_calls,
                                          lambda: _conv(x, W, b, geometry, dtype))
        # im2col runs compiled from MIN_BATCH on (the batch-last run it copies).
        assert ('im2col_2d' in calls) == (n >= _native.MIN_BATCH)
        assert 'col2im_2d' in calls   # the input gradient (a deconvolution)
        numpy.testing.assert_array_equal(native[0], ref[0])   # same columns, same GEMM
        for got, want in zip(native[1:], ref[1:]):
            numpy.testing.assert_allclose(got, want, **_tol(dtype))


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_convolution_in_row_blocks_paths_agree(dtype, kernel_calls, monkeypatch):
    # With one BLAS thread a convolution runs im2col + GEMM on blocks of output rows, each
    # im2col with a negative pad; the deconvolution (the input gradient) folds blocks of rows
    # with col2im into one output, likewise with negative pads.
    monkeypatch.setattr(conv_nd, 'single_blas_thread', lambda: True)
    monkeypatch.setattr(convolution_nd, '_BLOCK_BYTES', 2000)
    monkeypatch.setattr(deconvolution_nd, '_BLOCK_BYTES', 2000)
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    rng = numpy.random.RandomState(2)
    for geometry in [(3, 2, 3, (11, 6), 3, 1, 1, 1, False),
                     (2, 3, 2, (13, 7), (3, 2), (2, 1), (2, 0), (2, 1), True)]:
        n, c, oc, size, ksize = geometry[:5]
        k = conv_nd.as_tuple(ksize, 2, 'ksize')
        W = rng.standard_normal((oc, c) + k).astype(dtype)
        b = rng.standard_normal(oc).astype(dtype)
        x = rng.standard_normal((n, c) + size).astype(dtype)
        (native, calls), (ref, _) = _both(monkeypatch, kernel_calls,
                                          lambda: _conv(x, W, b, geometry, dtype))
        assert calls.count('im2col_2d') > 2 and calls.count('col2im_2d') > 2
        numpy.testing.assert_array_equal(native[0], ref[0])
        for got, want in zip(native[1:], ref[1:]):
            numpy.testing.assert_allclose(got, want, **_tol(dtype))
        # Deconvolution forward in row blocks, with an explicit outsize (cover_all-like).
        W2 = rng.standard_normal((oc, c) + k).astype(dtype)
        b2 = rng.standard_normal(c).astype(dtype)
        y = native[0]
        outsize = tuple(conv_nd.get_deconv_outsize(y.shape[2 + i], k[i],
                                                   conv_nd.as_tuple(geometry[5], 2, 's')[i],
                                                   conv_nd.as_tuple(geometry[6], 2, 'p', 0)[i],
                                                   geometry[8],
                                                   conv_nd.as_tuple(geometry[7], 2, 'd')[i])
                        for i in range(2))
        (native, calls), (ref, _) = _both(
            monkeypatch, kernel_calls,
            lambda: _conv(_layout(y, 'batch-last'), W2, b2, geometry, dtype, deconv=True,
                          outsize=outsize))
        assert calls.count('col2im_2d') > 2
        for got, want in zip(native, ref):
            numpy.testing.assert_allclose(got, want, **_tol(dtype))


@pytest.mark.parametrize('geometry', [CONVS[i] for i in (2, 3, 5, 6, 7)])
def test_deconvolution_2d_paths_agree(geometry, kernel_calls, monkeypatch):
    n, c, oc, size, ksize = geometry[:5]
    k = conv_nd.as_tuple(ksize, 2, 'ksize')
    rng = numpy.random.RandomState(3)
    x = _layout(rng.standard_normal((n, c) + size), 'steps')
    W = rng.standard_normal((c, oc) + k)
    b = rng.standard_normal(oc)
    (native, calls), (ref, _) = _both(
        monkeypatch, kernel_calls, lambda: _conv(x, W, b, geometry, numpy.float64,
                                                 deconv=True))
    assert 'col2im_2d' in calls
    for got, want in zip(native, ref):
        numpy.testing.assert_allclose(got, want, **_tol(numpy.float64))


def test_convolution_gradient_check_on_the_kernel_path(kernel_calls, monkeypatch):
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    rng = numpy.random.RandomState(4)
    x = rng.uniform(-1, 1, (2, 2, 6, 5))
    W = rng.uniform(-1, 1, (3, 2, 3, 2))
    b = rng.uniform(-1, 1, 3)
    for stride, pad, dilate, cover_all in [(2, 1, 1, True), (1, 3, (2, 1), False),
                                           ((3, 1), 0, 1, True)]:
        def f(x, W, b):
            return F.convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate)
        gy = rng.uniform(-1, 1, f(x, W, b).shape)
        del kernel_calls[:]
        gradient_check.check_backward(f, (x, W, b), gy, atol=1e-6, rtol=1e-5)
        assert 'im2col_2d' in kernel_calls and 'col2im_2d' in kernel_calls

    for stride, pad, dilate in [(2, 1, 1), ((3, 1), 0, (1, 2))]:
        def g(x, W, b):
            return F.deconvolution_2d(x, F.transpose(W, (1, 0, 2, 3)), b, stride, pad,
                                      dilate=dilate)
        gy = rng.uniform(-1, 1, g(x, W, b).shape)
        del kernel_calls[:]
        gradient_check.check_backward(g, (x, W, b), gy, atol=1e-6, rtol=1e-5)
        assert 'im2col_2d' in kernel_calls and 'col2im_2d' in kernel_calls


# --- max pooling ----------------------------------------------------------------------------

POOLS = [  # n, c, (h, w), ksize, stride, pad
    (1, 1, (5, 5), 2, None, 0),
    (7, 2, (7, 9), 3, 2, 1),        # one below MIN_BATCH
    (8, 2, (7, 9), 3, 2, 1),        # MIN_BATCH
    (9, 1, (9, 7), (2, 1), (4, 3), 0),   # stride > kernel
    (8, 3, (5, 6), 2, 1, 2),        # pad >= kernel: windows wholly in padding
    (8, 16, (3, 3), 1, 2, 0),       # 1x1 stride 2, many channels
    (12, 2, (13, 11), (12, 11), 3, (1, 2)),   # 132 taps: int32 indexes
]


def _pool(x, pool, cover_all, dtype, relu=False):
    _, _, _, ksize, stride, pad = pool
    xv = dchain.Variable(x)
    h = F.relu(xv) if relu else xv
    y, idx = F.max_pooling_2d(h, ksize, stride, pad, cover_all, return_indices=True)
    gy = numpy.random.RandomState(5).standard_normal(y.shape).astype(dtype)
    y.grad = gy
    y.backward()
    return y.array.copy(), idx, xv.grad.copy()


@pytest.mark.parametrize('pool', POOLS)
@pytest.mark.parametrize('cover_all', [True, False])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_max_pooling_2d_paths_agree(pool, cover_all, dtype, kernel_calls, monkeypatch):
    n, c, size = pool[:3]
    rng = numpy.random.RandomState(6)
    for layout in ('c', 'batch-last', 'steps', 'reversed'):
        values = rng.randint(-3, 4, (n, c) + size).astype(dtype)   # ties everywhere
        values[0, 0, 0, 0] = numpy.nan
        if values.size > 40:
            values.reshape(-1)[[7, 31]] = [numpy.inf, -numpy.inf]
        x = _layout(values, layout)
        for relu in (False, True):
            (native, calls), (ref, _) = _both(monkeypatch, kernel_calls,
                                              lambda: _pool(x, pool, cover_all, dtype, relu))
            uses = n >= _native.MIN_BATCH
            assert ('max_pool_2d_forward' in calls) == uses
            assert ('max_pool_2d_backward' in calls) == uses
            numpy.testing.assert_array_equal(native[0], ref[0])   # NaN where numpy has it
            numpy.testing.assert_array_equal(native[1], ref[1])
            numpy.testing.assert_allclose(native[2], ref[2], **_tol(dtype))
            assert numpy.isnan(native[0]).any() == (not relu or numpy.isnan(ref[0]).any())


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('relu', [False, True])
def test_max_pooling_gradient_check_on_the_kernel_path(dtype, relu, kernel_calls,
                                                       monkeypatch):
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    rng = numpy.random.default_rng(7)
    shape = (3, 2, 7, 6)
    # Distinct values spaced apart: the maximum of every window is unique.
    x = ((rng.permutation(int(numpy.prod(shape))) - 40) / 17.0).reshape(shape).astype(dtype)
    # (No window wholly in padding or past the input: its -inf maximum has no derivative.)
    for ksize, stride, pad, cover_all in [(2, None, 0, True), (3, 2, 1, False),
                                          ((2, 3), (3, 1), (1, 2), False), (1, 2, 0, False),
                                          (3, 3, 1, True)]:
        def f(v):
            return F.max_pooling_2d(F.relu(v) if relu else v, ksize, stride, pad, cover_all)
        gy = rng.standard_normal(f(x).shape).astype(dtype)
        del kernel_calls[:]
        gradient_check.check_backward(f, x, gy, eps=1e-3, atol=1e-3, rtol=1e-3,
                                      dtype=numpy.float64)
        assert 'max_pool_2d_forward' in kernel_calls
        assert 'max_pool_2d_backward' in kernel_calls

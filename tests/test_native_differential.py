"""Differential tests of the compiled kernels (dchain._native): each wrapper, on awkward
inputs, against the numpy code it replaces run in the same process with the kernels switched
off (``_native.available = False``, which every caller and wrapper reads at call time).

im2col, max pooling's forward and the optimizer updates must be bitwise equal to numpy;
col2im and max pooling's scatter only to rounding (they sum overlapping windows in another
order). Outputs are written into views of larger buffers whose guard regions must stay
untouched, and inputs are views of larger buffers whose surroundings hold NaN or huge values,
so that a read or write outside an array shows up.
"""
import numpy
import pytest

import dchain
from dchain import _native
from dchain import optimizers
from dchain.functions.pooling import pooling_nd
from dchain.utils import conv_nd

FLOATS = [numpy.float32, numpy.float64]
GUARD = 19  # elements of guard before and after an output (odd: not a vector multiple)


@pytest.fixture
def kernel_calls(monkeypatch, native_calls):
    """The compiled entry points called, with the kernels available on any batch."""
    monkeypatch.setattr(_native, 'available', True)
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)  # the kernels on short batches too
    return native_calls


def _both(monkeypatch, calls, fn, kernel):
    """``fn()`` with the kernels and with numpy; asserts the kernel ran in the first only."""
    results = []
    for available in (True, False):
        monkeypatch.setattr(_native, 'available', available)
        del calls[:]
        results.append(fn())
        ran = kernel in calls
        assert ran == available, (kernel, available, calls)
    monkeypatch.setattr(_native, 'available', True)
    return results


def _guarded(shape, dtype, fill=numpy.nan):
    """A C-contiguous array of ``shape`` inside a buffer with GUARD elements either side, all
    ``fill``; returns ``(array, check)``, ``check()`` asserting the guards are intact."""
    size = int(numpy.prod(shape))
    buf = numpy.full(size + 2 * GUARD, fill, dtype)
    before = buf.copy()

    def check():
        numpy.testing.assert_array_equal(buf[:GUARD], before[:GUARD])
        numpy.testing.assert_array_equal(buf[GUARD + size:], before[GUARD + size:])
    return buf[GUARD:GUARD + size].reshape(shape), check


def _bitwise_equal(a, b):
    a, b = numpy.asarray(a), numpy.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    numpy.testing.assert_array_equal(a, b)
    both = ~(numpy.isnan(a) | numpy.isnan(b)) if a.dtype.kind == 'f' else numpy.ones(a.shape,
                                                                                     bool)
    # -0.0 == 0.0 for assert_array_equal; bitwise they differ.
    ints = {4: numpy.uint32, 8: numpy.uint64, 1: numpy.uint8}[a.dtype.itemsize]
    numpy.testing.assert_array_equal(a.view(ints)[both], b.view(ints)[both])


def _tol(dtype):
    return dict(rtol=2e-6, atol=2e-6) if dtype == numpy.float32 else dict(rtol=1e-13,
                                                                          atol=1e-13)


# --- batch-last inputs in awkward layouts --------------------------------------------------

LAYOUTS = ['contiguous', 'batch-first', 'steps', 'reversed', 'inner-view', 'broadcast',
           'read-only']


def _input(shape, dtype, layout, seed=0):
    """A ``(c, h, w, n)`` array in ``layout``, whose neighbours in memory (where it is a view
    of a larger buffer) are NaN."""
    c, h, w, n = shape
    rng = numpy.random.RandomState(seed)
    values = rng.standard_normal(shape).astype(dtype)
    if layout == 'contiguous':
        return values
    if layout == 'batch-first':
        return numpy.ascontiguousarray(values.transpose(3, 0, 1, 2)).transpose(1, 2, 3, 0)
    if layout == 'steps':
        big = numpy.full((c + 1, 2 * h + 1, 3 * w, 2 * n + 1), numpy.nan, dtype)
        view = big[1:, 1::2, ::3, 1::2]
    elif layout == 'reversed':
        big = numpy.full((c + 2, h + 2, w + 2, n + 2), numpy.nan, dtype)
        view = big[c:0:-1, h:0:-1, w:0:-1, n:0:-1]
    elif layout == 'inner-view':
        big = numpy.full((c + 2, h + 2, w + 2, n + 2), numpy.nan, dtype)
        view = big[1:-1, 1:-1, 1:-1, 1:-1]
    elif layout == 'broadcast':  # zero strides (read-only)
        row = rng.standard_normal((c, 1, w, n)).astype(dtype)
        return numpy.broadcast_to(row, shape)
    elif layout == 'read-only':
        values.flags.writeable = False
        return values
    view[...] = values
    assert not view.flags.c_contiguous
    return view


GEOMETRIES = [  # ksize, stride, pad, dilate, cover_all
    ((3, 3), (1, 1), (1, 1), (1, 1), False),
    ((1, 1), (1, 1), (0, 0), (1, 1), False),
    ((1, 1), (3, 2), (0, 0), (1, 1), True),    # stride > kernel, last window in the padding
    ((2, 2), (3, 3), (0, 0), (1, 1), False),   # stride > kernel: skipped pixels
    ((2, 3), (1, 2), (2, 3), (1, 1), True),    # pad >= kernel: windows wholly in padding
    ((3, 2), (2, 1), (1, 0), (2, 3), False),   # dilation
    ((3, 3), (2, 3), (3, 1), (2, 2), True),
    ((3, 1), (1, 1), (-2, 0), (1, 1), False),  # negative pad (a block of rows)
    ((7, 6), (1, 1), (0, 0), (1, 1), False),   # the window is the whole image
]


def _out_size(in_size, k, s, p, d, cover_all):
    return tuple(conv_nd.get_conv_outsize(in_size[i], k[i], s[i], p[i], cover_all, d[i])
                 for i in range(2))


# --- im2col / col2im ------------------------------------------------------------------------

@pytest.mark.parametrize('k,s,p,d,cover_all', GEOMETRIES)
@pytest.mark.parametrize('dtype', FLOATS)
def test_im2col_matches_numpy_bitwise(k, s, p, d, cover_all, dtype, kernel_calls,
                                      monkeypatch):
    for layout in LAYOUTS:
        for c, n in ((1, 9), (5, 1), (2, 17)):
            x = _input((c, 7, 6, n), dtype, layout, seed=n)
            out = _out_size((7, 6), k, s, p, d, cover_all)
            for kernel_first in (False, True):
                for pval in (0, -numpy.inf, 2.5):
                    native, ref = _both(
                        monkeypatch, kernel_calls,
                        lambda: conv_nd.im2col_batch_last(
                            x, k, s, p, d, out, pval, kernel_first).copy(),
                        'im2col_2d')
                    _bitwise_equal(native, ref)
                    assert not numpy.isnan(native).any(), 'read outside the input'


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('kernel_first', [False, True])
def test_im2col_into_guarded_out(dtype, kernel_first, kernel_calls, monkeypatch):
    x = _input((3, 8, 7, 9), dtype, 'steps')
    for k, s, p, d, cover_all in GEOMETRIES:
        out_size = _out_size((8, 7), k, s, p, d, cover_all)
        shape = ((3,) + k if not kernel_first else k + (3,)) + out_size + (9,)
        results = []
        for available in (True, False):
            monkeypatch.setattr(_native, 'available', available)
            out, check = _guarded(shape, dtype)
            col = conv_nd.im2col_batch_last(x, k, s, p, d, out_size, -1, kernel_first,
                                            out=out)
            assert numpy.shares_memory(col, out)
            check()
            results.append(col.copy())
        _bitwise_equal(results[0], results[1])


@pytest.mark.parametrize('k,s,p,d,cover_all', GEOMETRIES)
@pytest.mark.parametrize('dtype', FLOATS)
def test_col2im_matches_numpy(k, s, p, d, cover_all, dtype, kernel_calls, monkeypatch):
    rng = numpy.random.RandomState(3)
    in_size = (7, 6)
    out_size = _out_size(in_size, k, s, p, d, cover_all)
    for c, n in ((1, 1), (4, 9), (2, 16)):
        for kernel_first in (False, True):
            shape = (k + (c,) if kernel_first else (c,) + k) + out_size + (n,)
            col = rng.standard_normal(shape).astype(dtype)
            native, ref = _both(monkeypatch, kernel_calls,
                                lambda: conv_nd.col2im_batch_last(col, in_size, s, p, d,
                                                                  kernel_first),
                                'col2im_2d')
            assert native.shape == ref.shape == (c,) + in_size + (n,)
            numpy.testing.assert_allclose(native, ref, **_tol(dtype))
            # Accumulating into a guarded out (as a deconvolution's row blocks do).
            start = rng.standard_normal(native.shape).astype(dtype)
            results = []
            for available in (True, False):
                monkeypatch.setattr(_native, 'available', available)
                out, check = _guarded(native.shape, dtype)
                out[...] = start
                got = conv_nd.col2im_batch_last(col, in_size, s, p, d, kernel_first, out=out)
                assert got is out
                check()
                results.append(got.copy())
            numpy.testing.assert_allclose(results[0], results[1], **_tol(dtype))
            numpy.testing.assert_allclose(results[0], start + ref, **_tol(dtype))


def test_col2im_propagates_nan_and_inf_like_numpy(kernel_calls, monkeypatch):
    col = numpy.zeros((2, 3, 3, 6, 6, 8), numpy.float32)   # pixel (oy - 1 + ky, ox - 1 + kx)
    col[0, 1, 1, 0, 0, 0] = numpy.nan
    col[0, 1, 1, 2, 2, 1] = numpy.inf
    col[1, 2, 2, 1, 1, 2] = -numpy.inf
    col[1, 0, 0, 3, 3, 2] = numpy.inf   # the same pixel gets inf + -inf = NaN
    col[1, 0, 0, 0, 0, 3] = numpy.nan   # in the padding: dropped
    with numpy.errstate(invalid='ignore'):
        native, ref = _both(monkeypatch, kernel_calls,
                            lambda: conv_nd.col2im_batch_last(col, (6, 6), (1, 1), (1, 1),
                                                              (1, 1)), 'col2im_2d')
    numpy.testing.assert_array_equal(native, ref)
    assert numpy.isnan(native).sum() == 2 and numpy.isinf(native).sum() == 1


# --- misaligned, strided and foreign arrays -------------------------------------------------

def _misaligned(shape, dtype, values=None):
    """An array of ``dtype`` at an odd byte offset of a uint8 buffer (not aligned)."""
    itemsize = numpy.dtype(dtype).itemsize
    size = int(numpy.prod(shape))
    raw = numpy.zeros(size * itemsize + 1, numpy.uint8)
    a = raw[1:].view(dtype).reshape(shape)
    assert not a.flags.aligned
    if values is not None:
        a[...] = values
    return a


@pytest.mark.parametrize('dtype', FLOATS)
def test_misaligned_arrays_fall_back_or_are_refused(dtype, kernel_calls, monkeypatch):
    rng = numpy.random.RandomState(4)
    values = rng.standard_normal((2, 6, 5, 9)).astype(dtype)
    x = _misaligned(values.shape, dtype, values)
    # The wrappers decline (None/False) and the callers' numpy code gives the same results.
    assert _native.im2col_2d(x, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5)) is None
    assert _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (3, 3), numpy.int8) is None
    got = conv_nd.im2col_batch_last(x, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5))
    assert kernel_calls == []
    numpy.testing.assert_array_equal(
        got, conv_nd.im2col_batch_last(values, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5)))
    col = _misaligned((2, 3, 3, 6, 5, 9), dtype, rng.standard_normal((2, 3, 3, 6, 5, 9)))
    assert _native.col2im_2d(col, (6, 5), (1, 1), (1, 1), (1, 1)) is None
    assert _native.col2im_2d(numpy.array(col), (6, 5), (1, 1), (1, 1), (1, 1),
                             out=_misaligned(values.shape, dtype)) is None
    assert _native.im2col_2d(values, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5),
                             out=_misaligned(col.shape, dtype)) is None
    y, idx = _native.max_pool_2d_forward(values, (2, 2), (2, 2), (0, 0), (3, 3), numpy.int8)
    del kernel_calls[:]
    assert _native.max_pool_2d_backward(_misaligned(y.shape, dtype, y), idx, (6, 5), (2, 2),
                                        (2, 2), (0, 0)) is None
    assert _native.max_pool_2d_backward(y, idx, (6, 5), (2, 2), (2, 2), (0, 0),
                                        gate=_misaligned(y.shape, dtype, y)) is None
    mis_idx = numpy.zeros(idx.size * 4 + 1, numpy.uint8)[1:].view(numpy.int32)
    assert not mis_idx.flags.aligned
    assert _native.max_pool_2d_backward(y, mis_idx, (6, 5), (2, 2), (2, 2), (0, 0)) is None
    p = _misaligned((33,), dtype, rng.standard_normal(33))
    g = rng.standard_normal(33).astype(dtype)
    assert _native.sgd(p, g, 0.1) is False
    assert _native.momentum_sgd(g.copy(), g, p, 0.1, 0.9) is False
    assert _native.adam(g.copy(), g, g.copy(), p, None, 0.9, 0.99, 1e-8, 0.1) is False
    assert _native.relu_backward(g, p) is None
    assert kernel_calls == []
    # The entry points themselves refuse them with a clear error.
    lib = _native._lib
    with pytest.raises(ValueError, match='x is not aligned'):
        lib.im2col_2d(x, numpy.empty((2, 3, 3, 6, 5, 9), dtype), 1, 1, 1, 1, 1, 1, 0.0, False)
    with pytest.raises(ValueError, match='col is not aligned|col must be'):
        lib.im2col_2d(values, _misaligned((2, 3, 3, 6, 5, 9), dtype), 1, 1, 1, 1, 1, 1, 0.0,
                      False)
    with pytest.raises(ValueError, match='out is not aligned'):
        lib.col2im_2d(numpy.array(col), _misaligned(values.shape, dtype), 1, 1, 1, 1, 1, 1,
                      False)
    with pytest.raises(ValueError, match='x is not aligned'):
        lib.max_pool_2d_forward(x, numpy.empty(y.shape, dtype),
                                numpy.empty(y.shape, numpy.int8), 2, 2, 2, 2, 0, 0)
    with pytest.raises(ValueError, match='indexes is not aligned'):
        lib.max_pool_2d_backward(y, mis_idx.reshape(y.shape), numpy.empty(values.shape, dtype),
                                 2, 2, 2, 2, 0, 0)
    with pytest.raises(ValueError, match='gx is not aligned'):
        lib.relu_backward(g, g, p)


def test_strides_not_multiple_of_the_item_size_are_refused(kernel_calls):
    # float64 elements 12 bytes apart: aligned to 4 bytes only.
    raw = numpy.zeros(12 * 2 * 6 * 5 * 3 + 8, numpy.uint8)
    x = numpy.lib.stride_tricks.as_strided(raw.view(numpy.float64), (2, 6, 5, 3),
                                           (12 * 90, 12 * 15, 12 * 3, 12))
    assert not x.flags.aligned
    assert _native.im2col_2d(x, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5)) is None
    with pytest.raises(ValueError, match='not multiples of its item size'):
        _native._lib.im2col_2d(x, numpy.empty((2, 3, 3, 6, 5, 3)), 1, 1, 1, 1, 1, 1, 0.0,
                               False)
    with pytest.raises(ValueError, match='not multiples of its item size'):
        _native._lib.max_pool_2d_forward(x, numpy.empty((2, 3, 3, 3)),
                                         numpy.empty((2, 3, 3, 3), numpy.int8), 2, 2, 2, 2, 0,
                                         0)


# --- max pooling ----------------------------------------------------------------------------

POOLS = [  # ksize, stride, pad, cover_all
    ((2, 2), (2, 2), (0, 0), False),
    ((2, 2), (2, 2), (0, 0), True),     # tiles, the last ones cut by the border
    ((3, 3), (2, 2), (1, 1), True),
    ((1, 1), (1, 1), (0, 0), False),
    ((1, 1), (3, 2), (0, 0), True),     # stride > kernel
    ((2, 3), (4, 5), (1, 2), True),     # stride > kernel with padding
    ((3, 2), (1, 1), (3, 2), False),    # pad >= kernel: windows wholly in padding
    ((4, 4), (3, 3), (2, 2), True),
    ((12, 11), (5, 5), (2, 1), True),   # 132 taps: int32 indexes
]


def _pool_both(monkeypatch, calls, x, k, s, p, cover_all, gy, gate=False):
    """(y, indexes, gx) of the pooling functions' code with the kernels and with numpy."""
    def run():
        geometry = pooling_nd.PoolingND(2, k, s, p, cover_all).geometry(x.shape[2:])
        y, idx = pooling_nd.max_with_indexes(geometry, x)
        scatter = pooling_nd.MaxPoolingScatter(geometry, idx, y if gate else None)
        gx = scatter.forward((conv_nd.from_batch_last(gy),))[0]
        return y.copy(), idx.copy(), numpy.array(gx)
    results = []
    for available in (True, False):
        monkeypatch.setattr(_native, 'available', available)
        del calls[:]
        results.append(run())
        if available:
            assert calls == ['max_pool_2d_forward', 'max_pool_2d_backward']
        else:
            assert calls == []
    return results


@pytest.mark.parametrize('k,s,p,cover_all', POOLS)
@pytest.mark.parametrize('dtype', FLOATS)
def test_max_pooling_matches_numpy(k, s, p, cover_all, dtype, kernel_calls, monkeypatch):
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    for layout in ('batch-first', 'contiguous', 'reversed', 'steps'):
        for c, n in ((1, 1), (3, 8), (2, 9)):
            xt = _input((c, 13, 11, n), dtype, layout, seed=c + n)
            x = conv_nd.from_batch_last(xt)
            geometry = pooling_nd.PoolingND(2, k, s, p, cover_all).geometry(x.shape[2:])
            gy = _input((c,) + geometry.out_size + (n,), dtype, layout, seed=7)
            for gate in (False, True):
                (y1, i1, g1), (y2, i2, g2) = _pool_both(monkeypatch, kernel_calls, x, k, s, p,
                                                        cover_all, gy, gate)
                _bitwise_equal(y1, y2)
                numpy.testing.assert_array_equal(i1, i2)
                assert i1.dtype == i2.dtype
                numpy.testing.assert_allclose(g1, g2, **_tol(dtype))
                assert not numpy.isnan(y1).any() and not numpy.isnan(g1).any()


@pytest.mark.parametrize('dtype', FLOATS)
def test_max_pooling_nan_inf_and_ties_match_numpy(dtype, kernel_calls, monkeypatch):
    # NaN wins its window as numpy.maximum makes it (the index stays at the last strictly
    # greater value before it, as numpy's ``greater`` mask leaves it); equal values keep the
    # first; -inf windows and windows of padding and -inf keep tap 0.
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    rng = numpy.random.RandomState(5)
    x = rng.randint(-2, 3, (9, 2, 7, 8)).astype(dtype)   # many ties
    x[0, 0, 0, 0] = numpy.nan       # tap 0 of a window
    x[1, 0, 1, 1] = numpy.nan       # the last tap of a 2x2 window
    x[2, 1, 3, 2] = numpy.nan
    x[2, 1, 3, 3] = numpy.inf       # NaN before inf in the same window
    x[3, 0, 4:6, 4:6] = -numpy.inf
    x[4, 1, :2, :2] = numpy.inf
    x[5, 0, 0, :] = -numpy.inf      # with padding above: padding and -inf only
    for k, s, p, cover_all in [((2, 2), (2, 2), (0, 0), False), ((3, 3), (2, 2), (1, 1), True),
                               ((2, 2), (1, 1), (1, 1), True)]:
        geometry = pooling_nd.PoolingND(2, k, s, p, cover_all).geometry(x.shape[2:])
        gy = rng.standard_normal((2,) + geometry.out_size + (9,)).astype(dtype)
        (y1, i1, g1), (y2, i2, g2) = _pool_both(monkeypatch, kernel_calls, x, k, s, p,
                                                cover_all, gy)
        _bitwise_equal(y1, y2)
        numpy.testing.assert_array_equal(i1, i2)
        numpy.testing.assert_allclose(g1, g2, **_tol(dtype))
        assert numpy.isnan(y1).any() and numpy.isinf(y1).any()
    # The first maximum wins (flat tap index 0 of a window of equal values).
    flat = numpy.ones((1, 1, 2, 2), dtype)
    y, idx = pooling_nd.max_with_indexes(
        pooling_nd.PoolingND(2, 2).geometry((2, 2)), flat)
    assert idx.tolist() == [0]


def test_max_pooling_gradient_of_inf_goes_to_the_argmax_only(kernel_calls, monkeypatch):
    # Documented difference (dchain/_native.py): numpy's gy * mask spreads NaN (inf * 0) over
    # the window's other taps; the kernel puts inf at the argmax only.
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    for k, s in (((2, 2), (2, 2)), ((2, 2), (1, 1))):   # tiles and overlapping windows
        geometry = pooling_nd.PoolingND(2, k, s, 0, False).geometry((4, 4))
        gy = numpy.ones((1,) + geometry.out_size + (1,), numpy.float32)
        gy[0, 0, 0, 0] = numpy.inf
        with numpy.errstate(invalid='ignore'):
            (_, _, g1), (_, _, g2) = _pool_both(monkeypatch, kernel_calls, x, k, s, (0, 0),
                                                False, gy)
        assert g1[0, 0, 1, 1] == numpy.inf and not numpy.isnan(g1).any()
        assert numpy.isnan(g2[0, 0, :2, :2]).sum() == 3 and g2[0, 0, 1, 1] != 0


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('index_dtype', [numpy.int8, numpy.int32])
def test_max_pool_entry_points_stay_inside_guarded_outputs(dtype, index_dtype, monkeypatch):
    lib = _native._lib
    rng = numpy.random.RandomState(6)
    for k, s, p, cover_all in POOLS:
        if k[0] * k[1] > 127 and index_dtype == numpy.int8:
            continue
        for n in (1, 3, 8, 13):
            # The input is surrounded by huge values: reading past it would change maxima.
            big = numpy.full((4, 15, 14, n + 2), 1e30, dtype)
            xt = big[1:-1, 1:-1, 1:-1, 1:-1]
            xt[...] = rng.standard_normal(xt.shape)
            geometry = pooling_nd.PoolingND(2, k, s, p, cover_all).geometry(xt.shape[1:3])
            yshape = (2,) + geometry.out_size + (n,)
            y, check_y = _guarded(yshape, dtype)
            idx, check_idx = _guarded(yshape, index_dtype, fill=99)
            lib.max_pool_2d_forward(xt, y, idx, k[0], k[1], s[0], s[1], p[0], p[1])
            check_y()
            check_idx()
            monkeypatch.setattr(_native, 'available', False)
            ey, eidx = pooling_nd.max_with_indexes(geometry, conv_nd.from_batch_last(xt))
            assert (y < 1e29).all()
            numpy.testing.assert_array_equal(y, ey)
            numpy.testing.assert_array_equal(idx.reshape(-1), eidx)
            gy = rng.standard_normal(yshape).astype(dtype)
            for gate in (None, y.copy()):
                monkeypatch.setattr(_native, 'available', False)
                expected = pooling_nd.MaxPoolingScatter(geometry, eidx, gate).forward(
                    (conv_nd.from_batch_last(gy),))[0]
                gx, check_gx = _guarded(xt.shape, dtype)
                args = (gy, idx, gx, k[0], k[1], s[0], s[1], p[0], p[1])
                if gate is None:
                    lib.max_pool_2d_backward(*args)
                else:
                    lib.max_pool_2d_backward(*args, gate)
                check_gx()
                numpy.testing.assert_allclose(conv_nd.from_batch_last(gx), expected,
                                              **_tol(dtype))


# --- relu backward --------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', FLOATS)
def test_relu_backward_matches_numpy_bitwise(dtype, kernel_calls, monkeypatch):
    from dchain.functions.activation.relu import ReLUGradFromOutput
    rng = numpy.random.RandomState(7)
    for shape in ((1,), (7,), (33, 3), (2, 3, 5, 9), (0, 4)):
        y = numpy.maximum(rng.standard_normal(shape), 0).astype(dtype)
        gy = rng.standard_normal(shape).astype(dtype)
        if y.size >= 3:
            gy.reshape(-1)[:3] = [numpy.inf, numpy.nan, -numpy.inf]
            y.reshape(-1)[-1] = numpy.nan
        for layout in ('c', 'fortran', 'batch-last', 'steps', 'mixed'):
            if layout == 'fortran':
                yl, gl = numpy.asfortranarray(y), numpy.asfortranarray(gy)
            elif layout == 'batch-last' and y.ndim == 4:
                yl, gl = (numpy.ascontiguousarray(a.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
                          for a in (y, gy))
            elif layout == 'steps':
                yl, gl = (numpy.repeat(a, 2, axis=-1)[..., ::2] for a in (y, gy))
            elif layout == 'mixed':
                yl, gl = y, numpy.asfortranarray(gy)
            else:
                yl, gl = y, gy
            with numpy.errstate(invalid='ignore'):
                native = ReLUGradFromOutput(yl).forward((gl,))[0]
                monkeypatch.setattr(_native, 'available', False)
                ref = ReLUGradFromOutput(yl).forward((gl,))[0]
                monkeypatch.setattr(_native, 'available', True)
            _bitwise_equal(native, ref)
    # The kernel ran on the dense layouts (and not on the strided ones).
    assert kernel_calls.count('relu_backward') >= 3 * 5


def test_relu_backward_entry_point_stays_inside_guarded_output():
    for dtype in FLOATS:
        for size in (1, 3, 8, 17, 1000):
            y = numpy.linspace(-1, 1, size).astype(dtype)
            gy = numpy.linspace(2, 3, size).astype(dtype)
            gx, check = _guarded((size,), dtype)
            _native._lib.relu_backward(y, gy, gx)
            check()
            numpy.testing.assert_array_equal(gx, gy * (y > 0))


# --- optimizers -----------------------------------------------------------------------------

def _link(arrays):
    link = dchain.Link()
    with link.init_scope():
        for i, (p, g) in enumerate(arrays):
            param = dchain.Parameter(p)
            param.grad = g
            setattr(link, 'p{}'.format(i), param)
    return link


def _params(dtype, seed, layout='c'):
    """Parameters and gradients of awkward sizes (vector tails), some with NaN and inf, some
    views: of a larger guarded buffer, strided, transposed."""
    rng = numpy.random.RandomState(seed)
    arrays = []
    for size in (1, 3, 8, 17, 1031):
        p = rng.standard_normal(size).astype(dtype)
        g = rng.standard_normal(size).astype(dtype)
        arrays.append((p, g))
    special = rng.standard_normal(64).astype(dtype)
    grad = rng.standard_normal(64).astype(dtype)
    grad[[3, 10, 20]] = [numpy.nan, numpy.inf, -numpy.inf]
    grad[30:40] = 0
    grad[40] = -0.0
    arrays.append((special, grad))
    arrays.append((rng.standard_normal((6, 7)).astype(dtype).T,       # transposed (F order)
                   rng.standard_normal((6, 7)).astype(dtype).T))
    arrays.append((rng.standard_normal((5, 16)).astype(dtype)[:, ::2],  # strided: numpy
                   rng.standard_normal((5, 8)).astype(dtype)))
    return arrays


def _run_optimizer(make, dtype, steps=3, setup=None):
    arrays = _params(dtype, 0)
    # One parameter in a larger buffer whose guards must survive the updates.
    inner, check = _guarded((37,), dtype)
    inner[...] = numpy.linspace(-1, 1, 37)
    arrays.append((inner, numpy.linspace(1, -2, 37).astype(dtype)))
    link = _link(arrays)
    opt = make()
    opt.setup(link)
    if setup is not None:
        setup(opt)
    for step in range(steps):
        for param in link.params():
            param.grad = param.grad * dtype(0.9)   # a new gradient every step
        opt.update()
    check()
    return [(param.name, param.array.copy()) for param in sorted(link.params(),
                                                                 key=lambda p: p.name)] + \
        [(param.name + '/' + key, numpy.array(value))
         for param in sorted(link.params(), key=lambda p: p.name)
         for key, value in sorted(param.update_rule.state.items())]


OPTIMIZERS = {
    'sgd': lambda: optimizers.SGD(lr=0.1),
    'momentum': lambda: optimizers.MomentumSGD(lr=0.05, momentum=0.7),
    'adam': lambda: optimizers.Adam(alpha=0.01),
    'adamw': lambda: optimizers.Adam(alpha=0.01, eta=0.5, weight_decay_rate=0.1),
    'amsgrad': lambda: optimizers.Adam(alpha=0.01, amsgrad=True),
    'adabound': lambda: optimizers.Adam(alpha=0.01, adabound=True, final_lr=0.05),
    'amsbound': lambda: optimizers.Adam(alpha=0.01, amsgrad=True, adabound=True, eta=0.3,
                                        weight_decay_rate=0.01),
    'adam-eps0': lambda: optimizers.Adam(alpha=0.01, eps=0),
}
_KERNEL = {'sgd': 'sgd', 'momentum': 'momentum_sgd'}


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
@pytest.mark.parametrize('dtype', FLOATS)
def test_optimizer_updates_match_numpy_bitwise(name, dtype, kernel_calls, monkeypatch):
    with numpy.errstate(invalid='ignore', divide='ignore', over='ignore'):
        native, ref = _both(monkeypatch, kernel_calls,
                            lambda: _run_optimizer(OPTIMIZERS[name], dtype),
                            _KERNEL.get(name, 'adam'))
    assert [key for key, _ in native] == [key for key, _ in ref]
    for (key, a), (_, b) in zip(native, ref):
        _bitwise_equal(a, b)
    # Something non-trivial happened: NaN arrived, and finite entries moved.
    assert any(numpy.isnan(a).any() for _, a in native)


@pytest.mark.parametrize('name', ['sgd', 'momentum', 'adam', 'adabound', 'amsbound'])
@pytest.mark.parametrize('scalar', [numpy.float64, numpy.float32, numpy.int64])
def test_numpy_scalar_hyperparameters_match_numpy_bitwise(name, scalar, kernel_calls,
                                                          monkeypatch):
    # A hyperparameter set as a numpy scalar (a schedule computed with numpy, a value loaded
    # from an .npz) is no Python float: on float32 parameters numpy computes with float64
    # then (NEP 50), so the kernel must decline where it would round differently.
    def setup(opt):
        for attr in ('lr', 'momentum', 'alpha', 'beta1', 'final_lr', 'eta'):
            if hasattr(opt.hyperparam, attr):
                value = getattr(opt.hyperparam, attr)
                if scalar is numpy.int64:
                    if attr == 'eta':
                        setattr(opt.hyperparam, attr, scalar(1))
                    continue
                setattr(opt.hyperparam, attr, scalar(value))
    kernel = _KERNEL.get(name, 'adam')
    for dtype in FLOATS:
        with numpy.errstate(invalid='ignore', divide='ignore', over='ignore'):
            native, ref = [], []
            for available, out in ((True, native), (False, ref)):
                monkeypatch.setattr(_native, 'available', available)
                del kernel_calls[:]
                out.extend(_run_optimizer(OPTIMIZERS[name], dtype, setup=setup))
                if available and scalar is numpy.float32:
                    assert kernel in kernel_calls   # no widening: the kernel still applies
                if available and scalar is numpy.float64 and dtype == numpy.float32:
                    assert kernel not in kernel_calls
        for (key, a), (_, b) in zip(native, ref):
            _bitwise_equal(a, b)

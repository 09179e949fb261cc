"""Tests of the optional compiled kernels (dchain._native): build, switches, validation, and
every kernel against an independent numpy reference."""
import os
import shutil
import subprocess
import sys

import numpy
import pytest

from dchain import _native

needs_native = pytest.mark.skipif(not _native.available, reason='compiled kernels not built')
FLOATS = [numpy.float32, numpy.float64]


def _tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == numpy.float32 else dict(rtol=1e-12,
                                                                           atol=1e-12)


# --- build and switches -------------------------------------------------------------------

def test_built_when_a_compiler_exists():
    # A silent build failure (setup.py's extension is optional) must show up red here.
    if not (shutil.which('cc') or shutil.which('gcc')):
        pytest.skip('no C compiler: the numpy fallback is expected')
    assert _native._lib is not None, 'the _dchain_native extension was not built'
    if os.environ.get('DCHAIN_NATIVE', '1') != '0':
        assert _native.available


def test_environment_switch_turns_kernels_off(monkeypatch):
    monkeypatch.setenv('DCHAIN_NATIVE', '0')
    assert not _native._detect()
    monkeypatch.setenv('DCHAIN_NATIVE', '1')
    assert _native._detect() == (_native._lib is not None)


def test_environment_switch_at_import():
    code = 'import dchain._native as n; print(n.available)'
    env = dict(os.environ, DCHAIN_NATIVE='0')
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.strip() == 'False'


def test_wrappers_decline_when_unavailable(monkeypatch):
    monkeypatch.setattr(_native, 'available', False)
    p = numpy.zeros(4, numpy.float32)
    assert _native.sgd(p, p.copy(), 0.1) is False
    assert _native.momentum_sgd(p, p.copy(), p.copy(), 0.1, 0.9) is False
    assert _native.adam(p, p.copy(), p.copy(), p.copy(), None, 0.9, 0.99, 1e-8, 0.1) is False
    x = numpy.zeros((1, 4, 4, 2), numpy.float32)
    assert _native.im2col_2d(x, (2, 2), (1, 1), (0, 0), (1, 1), (3, 3)) is None
    col = numpy.zeros((1, 2, 2, 3, 3, 2), numpy.float32)
    assert _native.col2im_2d(col, (4, 4), (1, 1), (0, 0), (1, 1)) is None
    assert _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (2, 2), numpy.int8) is None
    gy = numpy.zeros((1, 2, 2, 2), numpy.float32)
    assert _native.max_pool_2d_backward(gy, numpy.zeros(8, numpy.int8), (4, 4), (2, 2),
                                        (2, 2), (0, 0)) is None
    assert _native.relu_backward(gy, gy.copy()) is None


def test_floats():
    a = numpy.zeros(3, numpy.float32)
    assert _native.floats(a, a.copy())
    assert not _native.floats(a, a.astype(numpy.float64))
    assert not _native.floats(a.astype(numpy.float16))
    assert not _native.floats([0.0, 1.0])


# --- reduction in node-shared memory -------------------------------------------------------

@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('n_others', [0, 1, 3])
@pytest.mark.parametrize('scale', [1.0, 1 / 3])
def test_sum_scale_spread_kernel(dtype, n_others, scale):
    from dchain.distributed.communicators import _shared_memory
    rng = numpy.random.RandomState(n_others)
    count = 5000    # several of the kernel's blocks and a partial one
    mine = rng.uniform(-1, 1, count).astype(dtype)
    others = [rng.uniform(-1, 1, count).astype(dtype) for _ in range(n_others)]
    # The numpy code it replaces, on copies: the same additions in the same order.
    expected = mine.copy()
    expected_others = [o.copy() for o in others]
    for a in range(0, count, 1000):
        _shared_memory._add_into(expected, expected_others, a, min(count, a + 1000))
        _shared_memory._scale_and_spread(expected, expected_others, a, min(count, a + 1000),
                                         scale)
    assert _native.sum_scale_spread(mine, others, scale) is True
    numpy.testing.assert_array_equal(mine, expected)
    for other in others:
        numpy.testing.assert_array_equal(other, expected)


@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('n_others', [1, 2])
@pytest.mark.parametrize('scale', [1.0, 0.5])
@pytest.mark.parametrize('kind', ['momentum', 'adam', 'adamw'])
def test_sum_scale_spread_with_a_step_is_the_two_calls(dtype, n_others, scale, kind):
    # The fused optimizer step (what the shared-memory reduction runs per chunk) against the
    # reduction followed by the optimizer's kernel, which is itself bitwise numpy's update.
    rng = numpy.random.RandomState(n_others)
    count = 5000    # several of the kernel's blocks and a partial one
    arrays = [rng.uniform(0.1, 1, count).astype(dtype) for _ in range(4 + n_others)]
    copies = [a.copy() for a in arrays]
    mine, param, m, v, others = arrays[0], arrays[1], arrays[2], arrays[3], arrays[4:]
    c_mine, c_param, c_m, c_v, c_others = copies[0], copies[1], copies[2], copies[3], copies[4:]
    assert _native.sum_scale_spread(c_mine, c_others, scale) is True
    if kind == 'momentum':
        assert _native.momentum_sgd(c_param, c_mine, c_v, 0.01, 0.9) is True
        step = ('momentum', param, v, 0.01, 0.9)
    else:
        eta, decay = (1.0, 0.0) if kind == 'adam' else (0.5, 0.01)
        assert _native.adam(c_param, c_mine, c_m, c_v, None, 0.9, 0.999, 1e-8, 0.001, eta,
                            decay) is True
        step = ('adam', param, m, v, 0.9, 0.999, 1e-8, 0.001, eta, decay)
    assert _native.sum_scale_spread(mine, others, scale, step) is True
    for got, expected in zip(arrays, copies):
        numpy.testing.assert_array_equal(got, expected)


@needs_native
def test_sum_scale_spread_with_a_step_rejects_what_it_cannot_do():
    mine, param, m, v = (numpy.ones(8, numpy.float32) for _ in range(4))
    before = [a.copy() for a in (mine, param, m, v)]
    # A float64 learning rate makes numpy's update round in float64: the caller falls back.
    for step in [('momentum', param, v, numpy.float64(0.1), 0.9),
                 ('adam', param, m, v, 0.9, 0.999, 1e-8, numpy.float64(0.001), 1.0, 0.0),
                 ('momentum', param, v.astype(numpy.float64), 0.1, 0.9),
                 ('momentum', param, numpy.ones(16, numpy.float32)[::2], 0.1, 0.9)]:
        assert _native.sum_scale_spread(mine, [], 1.0, step) is False
    for got, expected in zip((mine, param, m, v), before):
        numpy.testing.assert_array_equal(got, expected)    # nothing done
    with pytest.raises(ValueError, match='param must have shape'):
        _native.sum_scale_spread(mine, [], 1.0,
                                 ('momentum', numpy.ones(9, numpy.float32), v, 0.1, 0.9))
    with pytest.raises(ValueError, match='v must have the size of mine'):
        _native._lib.sum_scale_spread(mine, [], 1.0,
                                      ('momentum', param, numpy.ones(9, numpy.float32), 0.1,
                                       0.9))
    with pytest.raises(TypeError, match='param must have the dtype of mine'):
        _native._lib.sum_scale_spread(mine, [], 1.0,
                                      ('momentum', param.astype(numpy.float64), v, 0.1, 0.9))
    with pytest.raises(ValueError, match="unknown step kind 'rmsprop'"):
        _native._lib.sum_scale_spread(mine, [], 1.0, ('rmsprop', param, v, 0.1, 0.9))


@needs_native
def test_sum_scale_spread_rejects_bad_arrays():
    mine = numpy.zeros(8, numpy.float32)
    assert _native.sum_scale_spread(mine, [numpy.zeros(16, numpy.float32)[::2]], 1.0) is False
    assert _native.sum_scale_spread(mine.astype(numpy.float16), [], 1.0) is False
    assert _native.sum_scale_spread(mine, [numpy.zeros(8, numpy.float64)], 1.0) is False
    with pytest.raises(TypeError, match='every other must have the dtype of mine'):
        _native._lib.sum_scale_spread(mine, [numpy.zeros(8, numpy.float64)], 1.0)
    with pytest.raises(ValueError, match='every other must have shape'):
        _native.sum_scale_spread(mine, [numpy.zeros(9, numpy.float32)], 1.0)
    with pytest.raises(ValueError, match='must have the size of mine'):
        _native._lib.sum_scale_spread(mine, [numpy.zeros(9, numpy.float32)], 1.0)
    with pytest.raises(ValueError, match='C-contiguous writable'):
        _native._lib.sum_scale_spread(mine, [numpy.zeros(16, numpy.float32)[::2]], 1.0)


@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('n_segments', [1, 2, 3])
def test_claim_sum_scale_spread_reduces_each_chunk_once(dtype, n_segments):
    rng = numpy.random.RandomState(n_segments)
    count, chunk = 1000, 96     # ten whole chunks and a partial one
    segments = [rng.uniform(-1, 1, count).astype(dtype) for _ in range(n_segments)]
    # Summed in the segments' order, then scaled: the reference in plain numpy.
    expected = segments[0].copy()
    for other in segments[1:]:
        expected += other
    expected *= dtype(0.5)
    claims = numpy.zeros(11, numpy.int64)
    claims[[2, 7]] = 5    # taken by another process in this step already
    untouched = [s[2 * chunk:3 * chunk].copy() for s in segments]
    assert _native.claim_sum_scale_spread(claims, 5, 4, chunk, segments, 0.5) == 9
    assert (claims == 5).all()
    for s, before in zip(segments, untouched):
        numpy.testing.assert_array_equal(s[2 * chunk:3 * chunk], before)
        done = numpy.ones(count, bool)
        done[2 * chunk:3 * chunk] = done[7 * chunk:8 * chunk] = False
        numpy.testing.assert_array_equal(s[done], expected[done])
    # Nothing is left to claim in this step; the next step takes every chunk again.
    assert _native.claim_sum_scale_spread(claims, 5, 0, chunk, segments, 0.5) == 0
    assert _native.claim_sum_scale_spread(claims, 6, 10, chunk, segments, 1.0) == 11
    assert (claims == 6).all()


@needs_native
def test_claim_chunk_takes_each_chunk_once_per_step():
    claims = numpy.zeros(4, numpy.int64)
    claims[1] = 3     # taken in this step already
    taken = [_native.claim_chunk(claims, 3, 2) for _ in range(4)]
    assert taken == [2, 3, 0, -1]     # from the first chunk on, wrapping around
    assert (claims == 3).all()
    assert _native.claim_chunk(claims, 4, 3) == 3
    with pytest.raises(TypeError, match='writable C-contiguous int64'):
        _native.claim_chunk(claims.astype(numpy.int32), 5, 0)
    with pytest.raises(ValueError, match='first chunk must be below the 4 claims'):
        _native.claim_chunk(claims, 5, 4)


@needs_native
def test_claim_sum_scale_spread_rejects_bad_arguments():
    segments = [numpy.zeros(8, numpy.float32), numpy.zeros(8, numpy.float32)]
    claims = numpy.zeros(2, numpy.int64)
    assert _native.claim_sum_scale_spread(claims, 1, 0, 4, [s.astype(numpy.float16)
                                                            for s in segments], 1.0) is None
    with pytest.raises(TypeError, match='claims must be int64'):
        _native.claim_sum_scale_spread(claims.astype(numpy.int32), 1, 0, 4, segments, 1.0)
    with pytest.raises(TypeError, match='claims must be an int64 array'):
        _native._lib.claim_sum_scale_spread(claims.astype(numpy.int32), 1, 0, 4, segments, 1.0)
    with pytest.raises(ValueError, match='8 elements in chunks of 4 need 2 claims, got 3'):
        _native._lib.claim_sum_scale_spread(numpy.zeros(3, numpy.int64), 1, 0, 4, segments,
                                            1.0)
    with pytest.raises(ValueError, match='first chunk must be below the 2 claims'):
        _native._lib.claim_sum_scale_spread(claims, 1, 2, 4, segments, 1.0)
    with pytest.raises(ValueError, match='every segment must have shape'):
        _native.claim_sum_scale_spread(claims, 1, 0, 4,
                                       [segments[0], numpy.zeros(9, numpy.float32)], 1.0)
    with pytest.raises(ValueError, match='at least one array'):
        _native._lib.claim_sum_scale_spread(claims, 1, 0, 4, [], 1.0)
    with pytest.raises(TypeError, match='every segment must have the dtype'):
        _native._lib.claim_sum_scale_spread(claims, 1, 0, 4, [segments[0], numpy.zeros(8)],
                                            1.0)
    assert (claims == 0).all() and not segments[0].any()


# --- optimizer kernels --------------------------------------------------------------------

@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
def test_sgd_kernel(dtype):
    rng = numpy.random.RandomState(0)
    p, g = (rng.uniform(-1, 1, (3, 337)).astype(dtype) for _ in range(2))
    expected = p.astype(numpy.float64) - 0.01 * g
    assert _native.sgd(p, g, 0.01) is True
    numpy.testing.assert_allclose(p, expected, **_tol(dtype))
    with pytest.raises(ValueError, match='grad must have shape'):
        _native.sgd(p, g[:, 1:].copy(), 0.01)
    assert _native.sgd(p[:, ::2], g[:, ::2], 0.01) is False


@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
def test_momentum_sgd_kernel(dtype):
    rng = numpy.random.RandomState(0)
    p, g, v = (rng.uniform(-1, 1, 1001).astype(dtype) for _ in range(3))
    v_ref = 0.9 * v.astype(numpy.float64) - 0.01 * g
    p_ref = p.astype(numpy.float64) + v_ref
    assert _native.momentum_sgd(p, g, v, 0.01, 0.9) is True
    numpy.testing.assert_allclose(v, v_ref, **_tol(dtype))
    numpy.testing.assert_allclose(p, p_ref, **_tol(dtype))


def _adam_reference(p, g, m, v, vhat, beta1, beta2, eps, alpha_t, eta, wd, bounds):
    p, g, m, v = (a.astype(numpy.float64) for a in (p, g, m, v))
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    if vhat is not None:
        vhat = numpy.maximum(vhat, v)
    step = alpha_t / (numpy.sqrt(v if vhat is None else vhat) + eps)
    if bounds is not None:
        step = numpy.clip(step, *bounds)
    return p - eta * (step * m + wd * p), m, v, vhat


@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('amsgrad', [False, True])
@pytest.mark.parametrize('bounds', [None, (0.01, 0.05)])
@pytest.mark.parametrize('eta,wd', [(1.0, 0.0), (0.5, 0.1)])
def test_adam_kernel(dtype, amsgrad, bounds, eta, wd):
    rng = numpy.random.RandomState(1)
    p, g, m = (rng.uniform(-1, 1, 37).astype(dtype) for _ in range(3))
    v = rng.uniform(0, 1, 37).astype(dtype)
    vhat = rng.uniform(0, 1, 37).astype(dtype) if amsgrad else None
    expected = _adam_reference(p, g, m, v, vhat, 0.8, 0.9, 1e-6, 0.01, eta, wd, bounds)
    assert _native.adam(p, g, m, v, vhat, 0.8, 0.9, 1e-6, 0.01, eta, wd, bounds) is True
    for got, want in zip((p, m, v, vhat), expected):
        if want is not None:
            numpy.testing.assert_allclose(got, want, **_tol(dtype))


@needs_native
def test_adam_kernel_propagates_nan():
    p = numpy.zeros(3, numpy.float32)
    g = numpy.array([numpy.nan, 1, 1], numpy.float32)
    m, v, vhat = (numpy.zeros(3, numpy.float32) for _ in range(3))
    _native.adam(p, g, m, v, vhat, 0.9, 0.999, 1e-8, 0.001)
    assert numpy.isnan(p[0]) and numpy.isnan(vhat[0]) and numpy.all(numpy.isfinite(p[1:]))


@needs_native
def test_optimizer_kernels_decline_non_contiguous_and_read_only():
    p = numpy.zeros((4, 4), numpy.float32)
    assert _native.momentum_sgd(p[:, ::2], p[:, ::2].copy(), p[:, ::2].copy(), 1, 1) is False
    ro = numpy.zeros(4, numpy.float32)
    ro.flags.writeable = False
    assert _native.momentum_sgd(ro, ro, numpy.zeros(4, numpy.float32), 1, 1) is False
    assert _native.momentum_sgd([0.0], [0.0], [0.0], 1, 1) is False
    # A float view at an odd byte offset of a raw buffer is not aligned to its item size.
    raw = numpy.zeros(4 * 8 + 1, numpy.uint8)
    odd = raw[1:].view(numpy.float32)
    assert not odd.flags.aligned
    assert _native.sgd(odd, numpy.zeros(8, numpy.float32), 1) is False
    assert _native.relu_backward(odd, numpy.zeros(8, numpy.float32)) is None


@needs_native
def test_optimizer_kernels_reject_bad_arguments():
    f32 = numpy.zeros(4, numpy.float32)
    with pytest.raises(TypeError, match='param'):
        _native.momentum_sgd(f32.astype(numpy.float16), f32, f32.copy(), 1, 1)
    with pytest.raises(TypeError, match='grad'):
        _native.momentum_sgd(f32.copy(), f32.astype(numpy.float64), f32.copy(), 1, 1)
    with pytest.raises(ValueError, match='v must have shape'):
        _native.momentum_sgd(f32.copy(), f32, numpy.zeros(5, numpy.float32), 1, 1)
    with pytest.raises(TypeError, match='vhat'):
        _native.adam(f32.copy(), f32, f32.copy(), f32.copy(), f32.astype(numpy.float64), 0.9,
                     0.99, 1e-8, 0.1)
    with pytest.raises(ValueError, match='m must have shape'):
        _native.adam(f32.copy(), f32, numpy.zeros(3, numpy.float32), f32.copy(), None, 0.9,
                     0.99, 1e-8, 0.1)


# --- im2col / col2im ----------------------------------------------------------------------

def _out_len(size, k, s, p, d, cover_all):
    span = (k - 1) * d + 1
    if cover_all:
        return (size + 2 * p - span + s - 1) // s + 1
    return (size + 2 * p - span) // s + 1


def _batch_last_input(shape, dtype, layout, seed=0):
    """A ``(c, h, w, n)`` array: contiguous, a view of a batch-first one, or strided."""
    c, h, w, n = shape
    rng = numpy.random.RandomState(seed)
    if layout == 'contiguous':
        return rng.standard_normal(shape).astype(dtype)
    if layout == 'batch-first':
        return rng.standard_normal((n, c, h, w)).astype(dtype).transpose(1, 2, 3, 0)
    return rng.standard_normal((c, h, 2 * w, n + 1)).astype(dtype)[:, :, ::2, 1:]


def _im2col_reference(x, k, s, p, d, out, pval):
    """Explicit loops over (c, ky, kx, oy, ox); also handles negative pads."""
    c, h, w, n = x.shape
    col = numpy.full((c, k[0], k[1], out[0], out[1], n), pval, dtype=x.dtype)
    for ky in range(k[0]):
        for kx in range(k[1]):
            for oy in range(out[0]):
                for ox in range(out[1]):
                    iy = oy * s[0] - p[0] + ky * d[0]
                    ix = ox * s[1] - p[1] + kx * d[1]
                    if 0 <= iy < h and 0 <= ix < w:
                        col[:, ky, kx, oy, ox] = x[:, iy, ix]
    return col


def _col2im_reference(col, in_size, s, p, d):
    c, kh, kw, oh, ow, n = col.shape
    out = numpy.zeros((c,) + tuple(in_size) + (n,), numpy.float64)
    for ky in range(kh):
        for kx in range(kw):
            for oy in range(oh):
                for ox in range(ow):
                    iy = oy * s[0] - p[0] + ky * d[0]
                    ix = ox * s[1] - p[1] + kx * d[1]
                    if 0 <= iy < in_size[0] and 0 <= ix < in_size[1]:
                        out[:, iy, ix] += col[:, ky, kx, oy, ox]
    return out


GEOMETRIES = [  # ksize, stride, pad, dilate, cover_all
    ((3, 3), (1, 1), (1, 1), (1, 1), False),
    ((3, 2), (2, 1), (0, 2), (1, 1), True),
    ((2, 3), (3, 2), (1, 0), (2, 1), False),
    ((1, 1), (3, 3), (0, 0), (1, 1), True),   # cover_all: the last window is all padding
    ((3, 3), (2, 2), (2, 1), (2, 3), True),
    ((5, 4), (1, 1), (4, 3), (1, 1), False),  # pads as large as the kernel
]


@needs_native
@pytest.mark.parametrize('k,s,p,d,cover_all', GEOMETRIES)
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('layout', ['contiguous', 'batch-first', 'strided'])
@pytest.mark.parametrize('kernel_first', [False, True])
def test_im2col_kernel(k, s, p, d, cover_all, dtype, layout, kernel_first):
    x = _batch_last_input((3, 7, 6, 5), dtype, layout)
    out = tuple(_out_len(x.shape[1 + i], k[i], s[i], p[i], d[i], cover_all) for i in range(2))
    col = _native.im2col_2d(x, k, s, p, d, out, pval=-2.5, kernel_first=kernel_first)
    expected = _im2col_reference(x, k, s, p, d, out, -2.5)
    if kernel_first:
        expected = expected.transpose(1, 2, 0, 3, 4, 5)
    assert col.flags.c_contiguous and col.dtype == dtype
    numpy.testing.assert_array_equal(col, expected)


@needs_native
def test_im2col_kernel_negative_pad_and_out_buffer():
    # Convolutions cut into row blocks call im2col with a negative pad (start below row 0).
    x = _batch_last_input((2, 9, 5, 3), numpy.float32, 'contiguous')
    buffer = numpy.full(2 * 9 * 3 * 5 * 3 + 7, numpy.nan, numpy.float32)
    out = buffer[:2 * 9 * 3 * 5 * 3]
    col = _native.im2col_2d(x, (3, 3), (2, 1), (-3, 1), (1, 1), (3, 5), out=out)
    assert numpy.shares_memory(col, buffer)
    numpy.testing.assert_array_equal(col, _im2col_reference(x, (3, 3), (2, 1), (-3, 1),
                                                            (1, 1), (3, 5), 0))


@needs_native
@pytest.mark.parametrize('k,s,p,d,cover_all', GEOMETRIES)
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('kernel_first', [False, True])
def test_col2im_kernel(k, s, p, d, cover_all, dtype, kernel_first):
    in_size = (7, 6)
    out = tuple(_out_len(in_size[i], k[i], s[i], p[i], d[i], cover_all) for i in range(2))
    rng = numpy.random.RandomState(5)
    col = rng.standard_normal((3,) + k + out + (5,)).astype(dtype)
    expected = _col2im_reference(col, in_size, s, p, d)
    if kernel_first:
        col = numpy.ascontiguousarray(col.transpose(1, 2, 0, 3, 4, 5))
    got = _native.col2im_2d(col, in_size, s, p, d, kernel_first=kernel_first)
    assert got.shape == (3,) + in_size + (5,) and got.dtype == dtype
    numpy.testing.assert_allclose(got, expected, **_tol(dtype))
    # With ``out`` the patches are added to what it holds.
    base = rng.standard_normal(got.shape).astype(dtype)
    acc = base.copy()
    assert _native.col2im_2d(col, in_size, s, p, d, kernel_first, out=acc) is acc
    numpy.testing.assert_allclose(acc, base + expected, **_tol(dtype))


@needs_native
def test_im2col_col2im_decline_and_reject():
    x = numpy.zeros((2, 4, 4, 3), numpy.float32)
    with pytest.raises(TypeError, match='x must be float32 or float64'):
        _native.im2col_2d(x.astype(numpy.float16), (2, 2), (1, 1), (0, 0), (1, 1), (3, 3))
    with pytest.raises(ValueError, match='x must be a batch-last'):
        _native.im2col_2d(x[0], (2, 2), (1, 1), (0, 0), (1, 1), (3, 3))
    with pytest.raises(ValueError, match='stride'):
        _native.im2col_2d(x, (2, 2), (0, 1), (0, 0), (1, 1), (3, 3))
    with pytest.raises(TypeError, match='ksize'):
        _native.im2col_2d(x, 2, (1, 1), (0, 0), (1, 1), (3, 3))
    with pytest.raises(ValueError, match='out must have'):
        _native.im2col_2d(x, (2, 2), (1, 1), (0, 0), (1, 1), (3, 3),
                          out=numpy.zeros(10, numpy.float32))
    with pytest.raises(TypeError, match='out must have the dtype'):
        _native.im2col_2d(x, (2, 2), (1, 1), (0, 0), (1, 1), (3, 3),
                          out=numpy.zeros(2 * 4 * 9 * 3))
    # A non-contiguous out buffer or column array: the numpy code handles it.
    strided = numpy.zeros(2 * 2 * 4 * 9 * 3, numpy.float32)[::2]
    assert _native.im2col_2d(x, (2, 2), (1, 1), (0, 0), (1, 1), (3, 3), out=strided) is None
    col = numpy.zeros((2, 2, 2, 3, 3, 6), numpy.float32)[..., ::2]
    assert _native.col2im_2d(col, (4, 4), (1, 1), (0, 0), (1, 1)) is None
    col = numpy.zeros((2, 2, 2, 3, 3, 3), numpy.float32)
    with pytest.raises(ValueError, match='out must have shape'):
        _native.col2im_2d(col, (4, 4), (1, 1), (0, 0), (1, 1),
                          out=numpy.zeros((2, 4, 5, 3), numpy.float32))
    with pytest.raises(ValueError, match='col must have 6'):
        _native.col2im_2d(col[0], (4, 4), (1, 1), (0, 0), (1, 1))


@needs_native
def test_c_entry_points_check_shapes():
    # The extension itself refuses what would take it outside the arrays' memory.
    lib = _native._lib
    x = numpy.zeros((2, 4, 4, 3), numpy.float32)
    with pytest.raises(ValueError, match='disagree'):
        lib.im2col_2d(x, numpy.zeros((3, 2, 2, 3, 3, 3), numpy.float32), 1, 1, 0, 0, 1, 1,
                      0.0, False)
    with pytest.raises(ValueError, match='C-contiguous'):
        lib.im2col_2d(x, numpy.zeros((2, 2, 2, 3, 3, 6), numpy.float32)[..., ::2], 1, 1, 0, 0,
                      1, 1, 0.0, False)
    y = numpy.zeros((2, 2, 2, 3), numpy.float32)
    with pytest.raises(ValueError, match='indexes has the wrong shape'):
        lib.max_pool_2d_forward(x, y, numpy.zeros((2, 2, 2, 4), numpy.int8), 2, 2, 2, 2, 0, 0)
    with pytest.raises(TypeError, match='indexes must be int8 or int32'):
        lib.max_pool_2d_forward(x, y, numpy.zeros(y.shape, numpy.int64), 2, 2, 2, 2, 0, 0)
    with pytest.raises(ValueError, match='more taps'):
        lib.max_pool_2d_forward(x, y, numpy.zeros(y.shape, numpy.int8), 16, 16, 2, 2, 0, 0)
    with pytest.raises(TypeError, match='dtype of'):
        lib.momentum_sgd(numpy.zeros(3), numpy.zeros(3, numpy.float32), numpy.zeros(3), 1., 1.)
    odd = numpy.zeros(4 * 3 + 1, numpy.uint8)[1:].view(numpy.float32)
    with pytest.raises(ValueError, match='grad is not aligned'):
        lib.sgd(numpy.zeros(3, numpy.float32), odd, 1.)


# --- max pooling --------------------------------------------------------------------------

def _max_pool_reference(x, k, s, p, out):
    """Window maxima and first argmax of a batch-last array, padding read as -inf."""
    c, h, w, n = x.shape
    y = numpy.full((c,) + out + (n,), -numpy.inf, x.dtype)
    idx = numpy.zeros((c,) + out + (n,), numpy.int64)
    for oy in range(out[0]):
        for ox in range(out[1]):
            for ky in range(k[0]):
                for kx in range(k[1]):
                    iy, ix = oy * s[0] - p[0] + ky, ox * s[1] - p[1] + kx
                    if not (0 <= iy < h and 0 <= ix < w):
                        continue
                    v = x[:, iy, ix]
                    better = v > y[:, oy, ox]
                    y[:, oy, ox] = numpy.where(better, v, y[:, oy, ox])
                    idx[:, oy, ox] = numpy.where(better, ky * k[1] + kx, idx[:, oy, ox])
    return y, idx


def _max_pool_grad_reference(gy, idx, in_size, k, s, p):
    c, oh, ow, n = gy.shape
    gx = numpy.zeros((c,) + tuple(in_size) + (n,), numpy.float64)
    for ci, oy, ox, j in numpy.ndindex(c, oh, ow, n):
        ky, kx = divmod(int(idx[ci, oy, ox, j]), k[1])
        iy, ix = oy * s[0] - p[0] + ky, ox * s[1] - p[1] + kx
        if 0 <= iy < in_size[0] and 0 <= ix < in_size[1]:
            gx[ci, iy, ix, j] += gy[ci, oy, ox, j]
    return gx


POOLS = [  # ksize, stride, pad, cover_all
    ((2, 2), (2, 2), (0, 0), False),
    ((3, 3), (2, 2), (1, 1), True),
    ((3, 2), (1, 2), (1, 0), False),
    ((2, 3), (3, 1), (0, 1), True),
    ((1, 1), (3, 3), (0, 0), True),  # the last window lies wholly past the input
    ((3, 3), (3, 3), (0, 0), True),
]


@needs_native
@pytest.mark.parametrize('k,s,p,cover_all', POOLS)
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('layout', ['contiguous', 'batch-first', 'strided'])
@pytest.mark.parametrize('index_dtype', [numpy.int8, numpy.int32])
def test_max_pool_kernels(k, s, p, cover_all, dtype, layout, index_dtype):
    x = _batch_last_input((3, 7, 8, 5), dtype, layout, seed=6)
    out = tuple(_out_len(x.shape[1 + i], k[i], s[i], p[i], 1, cover_all) for i in range(2))
    y, idx = _native.max_pool_2d_forward(x, k, s, p, out, index_dtype)
    ey, eidx = _max_pool_reference(x, k, s, p, out)
    assert y.dtype == dtype and idx.dtype == index_dtype
    numpy.testing.assert_array_equal(y, ey)
    numpy.testing.assert_array_equal(idx, eidx)
    gy = _batch_last_input(y.shape, dtype, layout, seed=7)
    gx = _native.max_pool_2d_backward(gy, idx.reshape(-1), x.shape[1:3], k, s, p)
    assert gx.shape == x.shape and gx.dtype == dtype
    numpy.testing.assert_allclose(gx, _max_pool_grad_reference(gy, idx, x.shape[1:3], k, s, p),
                                  **_tol(dtype))
    # Gated by the maxima (a ReLU before the pooling): values of windows whose maximum is
    # not positive are scattered as zeros.
    gx = _native.max_pool_2d_backward(gy, idx.reshape(-1), x.shape[1:3], k, s, p, gate=y)
    expected = _max_pool_grad_reference(gy * (y > 0), idx, x.shape[1:3], k, s, p)
    assert (gy * (y <= 0) != 0).any()
    numpy.testing.assert_allclose(gx, expected, **_tol(dtype))


@needs_native
def test_max_pool_kernel_ties_nan_and_inf():
    x = numpy.array([[1, 1], [1, 1]], numpy.float32).reshape(1, 2, 2, 1)
    y, idx = _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (1, 1), numpy.int8)
    assert y.item() == 1 and idx.item() == 0  # the first maximum wins
    x = numpy.array([[-1, numpy.nan], [5, 2]], numpy.float32).reshape(1, 2, 2, 1)
    y, idx = _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (1, 1), numpy.int8)
    assert numpy.isnan(y.item())  # NaN propagates as in numpy.maximum
    x = numpy.full((1, 2, 2, 1), -numpy.inf, numpy.float64)
    y, idx = _native.max_pool_2d_forward(x, (3, 3), (1, 1), (1, 1), (2, 2), numpy.int32)
    assert numpy.all(y == -numpy.inf) and numpy.all(idx == 0)


@needs_native
def test_max_pool_backward_drops_out_of_range_indexes():
    gy = numpy.ones((1, 2, 2, 1), numpy.float32)
    idx = numpy.array([0, 5, -1, 3], numpy.int8)  # 5 and -1 are no tap of a 2x2 window
    gx = _native.max_pool_2d_backward(gy, idx, (4, 4), (2, 2), (2, 2), (0, 0))
    assert gx.sum() == 2 and gx[0, 0, 0, 0] == 1 and gx[0, 3, 3, 0] == 1


@needs_native
def test_max_pool_wrappers_reject_bad_arguments():
    x = numpy.zeros((2, 4, 4, 3), numpy.float32)
    with pytest.raises(TypeError, match='index_dtype'):
        _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (2, 2), numpy.int64)
    with pytest.raises(TypeError, match='x must be float32'):
        _native.max_pool_2d_forward(x.astype(numpy.float16), (2, 2), (2, 2), (0, 0), (2, 2),
                                    numpy.int8)
    with pytest.raises(ValueError, match='pad'):
        _native.max_pool_2d_forward(x, (2, 2), (2, 2), (-1, 0), (2, 2), numpy.int8)
    gy = numpy.zeros((2, 2, 2, 3), numpy.float32)
    with pytest.raises(ValueError, match='indexes must have 24'):
        _native.max_pool_2d_backward(gy, numpy.zeros(23, numpy.int8), (4, 4), (2, 2), (2, 2),
                                     (0, 0))
    with pytest.raises(TypeError, match='indexes must be int8'):
        _native.max_pool_2d_backward(gy, numpy.zeros(24, numpy.int16), (4, 4), (2, 2), (2, 2),
                                     (0, 0))
    with pytest.raises(ValueError, match='gy must be a batch-last'):
        _native.max_pool_2d_backward(gy[0], numpy.zeros(12, numpy.int8), (4, 4), (2, 2),
                                     (2, 2), (0, 0))
    with pytest.raises(ValueError, match='gate must have the shape'):
        _native.max_pool_2d_backward(gy, numpy.zeros(24, numpy.int8), (4, 4), (2, 2), (2, 2),
                                     (0, 0), gate=gy[:, :1].copy())
    with pytest.raises(ValueError, match='gate must have the shape'):
        _native.max_pool_2d_backward(gy, numpy.zeros(24, numpy.int8), (4, 4), (2, 2), (2, 2),
                                     (0, 0), gate=gy.astype(numpy.float64))


# --- relu ---------------------------------------------------------------------------------

@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('layout', ['c', 'batch-last'])
@pytest.mark.parametrize('in_place', [False, True])
def test_relu_forward_kernel(dtype, layout, in_place):
    rng = numpy.random.RandomState(7)
    x = rng.standard_normal((5, 3, 7, 3)).astype(dtype)
    x[0, 0, 0, :] = [numpy.nan, -0.0, numpy.inf]
    x[0, 0, 1, :] = [-numpy.inf, 0.0, -1e-30]
    if layout == 'batch-last':
        x = numpy.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    with numpy.errstate(invalid='ignore'):
        expected = numpy.clip(x, dtype(0), dtype(numpy.inf))
    given = x.copy(order='K')
    y = _native.relu_forward(given, in_place)
    assert (y is given) == in_place
    assert y.dtype == dtype and y.strides == x.strides
    numpy.testing.assert_array_equal(y, expected)
    assert numpy.array_equal(numpy.signbit(y), numpy.signbit(expected))  # -0.0 stays -0.0


@needs_native
def test_relu_forward_declines_what_it_cannot_take():
    assert _native.relu_forward(numpy.ones((4, 6), numpy.float16)) is None
    assert _native.relu_forward(numpy.ones((4, 6), numpy.float32)[:, ::2]) is None
    frozen = numpy.ones((4, 6), numpy.float32)
    frozen.flags.writeable = False
    assert _native.relu_forward(frozen, in_place=True) is None
    assert _native.relu_forward(frozen) is not None


@needs_native
@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('layout', ['c', 'batch-last'])
def test_relu_backward_kernel(dtype, layout):
    rng = numpy.random.RandomState(8)
    y = numpy.maximum(rng.standard_normal((5, 3, 7, 3)), 0).astype(dtype)
    gy = rng.standard_normal(y.shape).astype(dtype)
    gy[0, 0, 0, :] = [numpy.inf, numpy.nan, -numpy.inf]
    if layout == 'batch-last':
        y, gy = (numpy.ascontiguousarray(a.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
                 for a in (y, gy))
    gx = _native.relu_backward(y, gy)
    assert gx.dtype == dtype and gx.strides == y.strides
    with numpy.errstate(invalid='ignore'):
        expected = gy * (y > 0).astype(dtype)  # inf * 0 is NaN, as in numpy's gy * mask
    numpy.testing.assert_array_equal(gx, expected)


@needs_native
def test_relu_backward_declines_mixed_layouts_and_dtypes():
    y = numpy.ones((4, 6), numpy.float32)
    assert _native.relu_backward(y, numpy.ones((6, 4), numpy.float32).T) is None
    assert _native.relu_backward(y, numpy.ones((4, 6))) is None
    assert _native.relu_backward(y, numpy.ones((4, 5), numpy.float32)) is None
    assert _native.relu_backward(y[:, ::2], numpy.ones((4, 3), numpy.float32)) is None


# --- unusual layouts and sizes ------------------------------------------------------------

@needs_native
def test_kernels_read_reversed_and_empty_inputs():
    x = _batch_last_input((2, 6, 5, 3), numpy.float64, 'contiguous', seed=9)[:, ::-1, ::-1]
    col = _native.im2col_2d(x, (2, 3), (1, 2), (1, 0), (1, 1), (7, 2))
    numpy.testing.assert_array_equal(col, _im2col_reference(x, (2, 3), (1, 2), (1, 0),
                                                            (1, 1), (7, 2), 0))
    y, idx = _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (3, 3), numpy.int8)
    ey, eidx = _max_pool_reference(x, (2, 2), (2, 2), (0, 0), (3, 3))
    numpy.testing.assert_array_equal(y, ey)
    numpy.testing.assert_array_equal(idx, eidx)
    # An empty batch gives empty results rather than touching memory.
    empty = numpy.zeros((2, 6, 5, 0), numpy.float32)
    assert _native.im2col_2d(empty, (3, 3), (1, 1), (1, 1), (1, 1), (6, 5)).shape == \
        (2, 3, 3, 6, 5, 0)
    y, idx = _native.max_pool_2d_forward(empty, (2, 2), (2, 2), (0, 0), (3, 3), numpy.int8)
    assert y.shape == idx.shape == (2, 3, 3, 0)
    assert _native.max_pool_2d_backward(y, idx, (6, 5), (2, 2), (2, 2), (0, 0)).shape == \
        empty.shape


@needs_native
@pytest.mark.parametrize('k,s,p,cover_all', POOLS)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_max_pooling_2d_compiled_and_numpy_paths_agree(k, s, p, cover_all, dtype, monkeypatch):
    import dchain
    import dchain.functions as F
    monkeypatch.setattr(_native, 'MIN_BATCH', 1)
    x = numpy.random.default_rng(5).standard_normal((3, 2, 9, 7)).astype(dtype)
    gy = None
    results = []
    for available in (True, False):
        monkeypatch.setattr(_native, 'available', available)
        xv = dchain.Variable(x)
        y, idx = F.max_pooling_2d(xv, k, s, p, cover_all, return_indices=True)
        if gy is None:
            gy = numpy.random.default_rng(6).standard_normal(y.shape).astype(dtype)
        y.grad = gy
        y.backward()
        results.append((y.array, idx, xv.grad))
    (y1, i1, g1), (y2, i2, g2) = results
    numpy.testing.assert_array_equal(y1, y2)
    numpy.testing.assert_array_equal(i1, i2)
    numpy.testing.assert_allclose(g1, g2, rtol=1e-6, atol=1e-6)


@needs_native
@pytest.mark.parametrize('batch', [1, 7, 8, 16])
def test_windowed_kernels_only_for_batches_worth_it(batch, native_calls):
    # On short batch runs numpy's strided copies win: the callers keep to numpy there.
    import dchain.functions as F
    from dchain.utils import conv_nd
    calls = native_calls
    x = numpy.random.default_rng(0).standard_normal((batch, 2, 6, 6)).astype(numpy.float32)
    conv_nd.im2col_batch_last(conv_nd.to_batch_last(x), (3, 3), (1, 1), (1, 1), (1, 1), (6, 6))
    F.max_pooling_2d(x, 2)
    expected = ['im2col_2d', 'max_pool_2d_forward'] if batch >= _native.MIN_BATCH else []
    assert calls == expected

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


def test_floats():
    a = numpy.zeros(3, numpy.float32)
    assert _native.floats(a, a.copy())
    assert not _native.floats(a, a.astype(numpy.float64))
    assert not _native.floats(a.astype(numpy.float16))
    assert not _native.floats([0.0, 1.0])


# --- optimizer kernels --------------------------------------------------------------------

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

"""Test session setup: one BLAS thread per test process unless the caller chose otherwise.

The suite runs in parallel workers (``pytest -n 2``) on small arrays; multi-threaded BLAS
there only oversubscribes the cores (small products get many times slower under load). This
runs before any test module imports numpy.
"""
import os

import pytest

for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_var, '1')


@pytest.fixture(params=['native', 'numpy'])
def kernels(request, monkeypatch):
    """Runs a test with dchain's compiled kernels (skipped where they are not built) and with
    its numpy code; modules opt in with ``pytestmark = pytest.mark.usefixtures('kernels')``."""
    from dchain import _native
    if request.param == 'numpy':
        monkeypatch.setattr(_native, 'available', False)
    elif not _native.available:
        pytest.skip('compiled kernels not built')
    else:
        monkeypatch.setattr(_native, 'MIN_BATCH', 1)  # the tests' small batches too
    return request.param


@pytest.fixture
def native_calls(monkeypatch):
    """The names of the compiled entry points a test calls, in order (the extension must be
    built: a test that compares it with the numpy code means nothing otherwise)."""
    from dchain import _native
    real = _native._lib
    assert real is not None, 'the _dchain_native extension is not built'
    calls = []

    class Spy:
        def __getattr__(self, name):
            kernel = getattr(real, name)

            def spy(*args):
                calls.append(name)
                return kernel(*args)
            return spy
    monkeypatch.setattr(_native, '_lib', Spy())
    return calls

"""Tests of the shared CPU thread pool (dchain._cpu_threads, csrc/thread_pool.h): OpenBLAS's
parallel work runs on it, dchain's kernels give the same results on any number of threads,
and concurrent callers, threadpoolctl's limits and forked children are handled."""
import concurrent.futures
import multiprocessing
import os
import subprocess
import sys

import numpy
import pytest

import dchain  # noqa: F401  (installs the pool)
from dchain import _cpu_threads
from dchain import _native

needs_native = pytest.mark.skipif(not _native.available, reason='compiled kernels not built')
needs_pool = pytest.mark.skipif(not _cpu_threads.installed,
                                reason='numpy\'s BLAS is not an OpenBLAS with a threading '
                                       'callback (or the kernels are not built)')


@pytest.fixture
def blas_threads():
    """BLAS on two threads (the suite runs it on one, see conftest), so it goes parallel."""
    from threadpoolctl import threadpool_limits
    with threadpool_limits(2, user_api='blas'):
        yield


@pytest.fixture
def threads():
    """Set the kernels' thread count by hand; the installation is restored afterwards."""
    def set_threads(count):
        _native.configure_threads(count, 100, None)
    yield set_threads
    _cpu_threads.install()


def _run_in_subprocess(code, **env):
    full_env = dict(os.environ, **env)
    return subprocess.run([sys.executable, '-c', code], env=full_env, capture_output=True,
                          text=True, timeout=120)


# --- BLAS on the pool ---------------------------------------------------------------------

@needs_pool
def test_blas_runs_its_parallel_work_on_the_pool(blas_threads):
    rng = numpy.random.default_rng(0)
    a = rng.standard_normal((300, 400))
    b = rng.standard_normal((400, 500))
    before = _native.pool_stats()['blas_calls']
    product = a @ b
    assert _native.pool_stats()['blas_calls'] > before
    assert _native.pool_stats()['workers'] >= 1
    expected = numpy.einsum('ik,kj->ij', a, b)  # not BLAS
    numpy.testing.assert_allclose(product, expected, rtol=1e-12, atol=1e-12)


@needs_pool
def test_kernels_follow_threadpoolctl_limits(blas_threads):
    from threadpoolctl import threadpool_limits
    assert _cpu_threads.threads() == 2
    with threadpool_limits(1, user_api='blas'):
        assert _cpu_threads.threads() == 1
    assert _cpu_threads.threads() == 2


@needs_pool
def test_concurrent_callers_get_right_results(blas_threads):
    # GEMMs and parallel kernels from several Python threads at once: one region runs at a
    # time, the others wait for it; nothing deadlocks (the timeout) and every result holds.
    rng = numpy.random.default_rng(1)
    mats = [rng.standard_normal((200, 200)) for _ in range(4)]
    images = rng.standard_normal((16, 20, 20, 32)).astype(numpy.float32)
    pool_args = ((2, 2), (2, 2), (0, 0), (10, 10), numpy.int32)
    pooled_ref, idx_ref = _native.max_pool_2d_forward(images, *pool_args)

    def work(i):
        for _ in range(20):
            numpy.testing.assert_allclose(mats[i] @ mats[i].T,
                                          numpy.einsum('ik,jk->ij', mats[i], mats[i]),
                                          rtol=1e-12, atol=1e-10)
            pooled, idx = _native.max_pool_2d_forward(images, *pool_args)
            numpy.testing.assert_array_equal(pooled, pooled_ref)
            numpy.testing.assert_array_equal(idx, idx_ref)
        return True

    with concurrent.futures.ThreadPoolExecutor(4) as executor:
        assert all(executor.map(work, range(4), timeout=120))


def _gemm_and_pooling_sums():
    a = numpy.arange(250 * 250, dtype=numpy.float64).reshape(250, 250) / 1000
    x = numpy.random.default_rng(2).standard_normal((16, 20, 20, 32)).astype(numpy.float32)
    pooled, _ = _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (10, 10), numpy.int8)
    return float((a @ a).sum()), float(pooled.sum())


def _child_work(queue):
    queue.put(_gemm_and_pooling_sums() + (_native.pool_stats()['workers'],))


@needs_pool
def test_forked_child_makes_its_own_workers(blas_threads):
    expected = _gemm_and_pooling_sums()
    assert _native.pool_stats()['workers'] >= 1  # the parent's workers exist when it forks
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    child = context.Process(target=_child_work, args=(queue,))
    child.start()
    try:
        gemm_sum, pool_sum, workers = queue.get(timeout=60)
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
    assert (gemm_sum, pool_sum) == expected
    assert workers >= 1


# --- the kernels on several threads -------------------------------------------------------

@needs_native
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_windowed_kernels_equal_on_one_and_three_threads(threads, dtype):
    # Uneven splits (7 channels over 3 parts) of passes large enough to be split.
    rng = numpy.random.default_rng(3)
    x = rng.standard_normal((7, 30, 30, 40)).astype(dtype)
    strided = x.transpose(3, 0, 1, 2).copy().transpose(1, 2, 3, 0)  # not C-contiguous
    gate = rng.standard_normal((7, 15, 15, 40)).astype(dtype)

    def run_all():
        out = {}
        for name, image in (('dense', x), ('strided', strided)):
            for kernel_first in (False, True):
                out['im2col', name, kernel_first] = _native.im2col_2d(
                    image, (3, 3), (1, 1), (1, 1), (1, 1), (30, 30), 0, kernel_first)
            for index_dtype in (numpy.int8, numpy.int32):
                for ksize, stride, pad, size in (((2, 2), (2, 2), (0, 0), (15, 15)),
                                                 ((3, 3), (2, 2), (1, 1), (15, 15))):
                    y, idx = _native.max_pool_2d_forward(image, ksize, stride, pad, size,
                                                         index_dtype)
                    out['pool', name, index_dtype, ksize] = y, idx
                    out['scatter', name, index_dtype, ksize] = _native.max_pool_2d_backward(
                        y, idx, (30, 30), ksize, stride, pad)
                    out['gated', name, index_dtype, ksize] = _native.max_pool_2d_backward(
                        y, idx, (30, 30), ksize, stride, pad, gate=gate)
        col = out['im2col', 'dense', False]
        out['col2im'] = _native.col2im_2d(col, (30, 30), (1, 1), (1, 1), (1, 1))
        out['col2im', 'kernel_first'] = _native.col2im_2d(
            out['im2col', 'dense', True], (30, 30), (1, 1), (1, 1), (1, 1), kernel_first=True)
        out['relu'] = _native.relu_backward(x, x[::-1].copy())
        return out

    threads(1)
    one = run_all()
    threads(3)
    assert _native.threads() == 3
    several = run_all()
    assert _native.pool_stats()['workers'] >= 2  # the passes were split
    assert one.keys() == several.keys()
    for key in one:
        results = one[key] if isinstance(one[key], tuple) else (one[key],)
        results_threaded = several[key] if isinstance(several[key], tuple) else (several[key],)
        for a, b in zip(results, results_threaded):
            assert a is not None and b is not None, key  # the kernel took the arrays
            assert numpy.array_equal(a, b), key


@needs_native
def test_small_passes_stay_on_one_thread(threads):
    threads(4)
    workers = _native.pool_stats()['workers']
    x = numpy.ones((2, 8, 8, 8), numpy.float32)  # far under the size worth splitting
    _native.max_pool_2d_forward(x, (2, 2), (2, 2), (0, 0), (4, 4), numpy.int8)
    assert _native.pool_stats()['workers'] == workers


# --- settings -------------------------------------------------------------------------------

@needs_native
def test_configure_threads_rejects_bad_values():
    with pytest.raises(ValueError, match='threads must be from 1'):
        _native.configure_threads(0, 100, None)
    with pytest.raises(ValueError, match='spin_us must be >= 0'):
        _native.configure_threads(2, -1, None)


@needs_native
def test_bad_spin_setting_is_named_at_import():
    result = _run_in_subprocess('import dchain', DCHAIN_CPU_SPIN_US='soon')
    assert result.returncode != 0
    assert 'DCHAIN_CPU_SPIN_US' in result.stderr and "'soon'" in result.stderr


@needs_pool
def test_switch_leaves_blas_alone():
    code = ('import numpy, dchain\nfrom dchain import _cpu_threads, _native\n'
            'a = numpy.ones((300, 300)); a @ a\n'
            'print(_cpu_threads.installed, _cpu_threads.threads(), '
            '_native.pool_stats()["blas_calls"])')
    result = _run_in_subprocess(code, DCHAIN_CPU_POOL='0')
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['[]', '1', '0']

"""Peak memory of convolution forward+backward: one im2col buffer plus the arrays themselves.

tracemalloc sees numpy's data allocations. The inputs (x, W, b) exist before tracing starts,
so the traced peak must stay under: the column buffer + y + gx + gW + gb + a small slack
(Python objects of the graph). An implementation that kept the column buffer for backward
while building a second one, padded the input, or copied activations would exceed it. The
column buffer is a per-thread workspace reused across calls; it is released before each
measurement, so the run allocates it once and the peak includes it.
"""
import importlib
import tracemalloc

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain.utils import conv_nd

# numpy's buffered ufunc loops (strided in-place adds of col2im) hold three 8192-element
# buffers; the rest is Python objects of the graph. Independent of the array sizes.
SLACK = 3 * 8192 * 4 + 32 * 1024


def _nbytes(shape, dtype=numpy.float32):
    return int(numpy.prod(shape)) * numpy.dtype(dtype).itemsize


def _traced_peak(run):
    # The column buffer is a reusable per-thread workspace: free it so that the traced run
    # allocates (and counts) it.
    conv_nd.release_workspace()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base


def _setup(n=8, c=16, size=16, oc=32, k=3):
    rng = numpy.random.default_rng(0)
    x = dchain.Variable(rng.standard_normal((n, c, size, size)).astype(numpy.float32))
    W = dchain.Variable(rng.standard_normal((oc, c, k, k)).astype(numpy.float32))
    b = dchain.Variable(rng.standard_normal(oc).astype(numpy.float32))
    return x, W, b


@pytest.fixture(params=['whole batch', 'row blocks'])
def gemm_path(request, monkeypatch):
    """Both ways a convolution runs its GEMM: over the whole batch (several BLAS threads; the
    forward keeps its columns for the weight gradient) or over blocks of output rows (one
    thread; columns rebuilt block by block)."""
    conv_module = importlib.import_module('dchain.functions.connection.convolution_nd')
    single = request.param == 'row blocks'
    monkeypatch.setattr(conv_nd, 'single_blas_thread', lambda: single)
    if single:
        monkeypatch.setattr(conv_module, '_BLOCK_BYTES', 64 * 1024)
    return request.param


def test_convolution_forward_backward_peak(gemm_path):
    n, c, size, oc, k = 8, 16, 16, 32, 3
    x, W, b = _setup(n, c, size, oc, k)
    # Warm up once so lazily imported modules and caches are not counted.
    y = F.convolution_2d(x, W, b, pad=1)
    y.grad = numpy.ones_like(y.array)
    y.backward()

    def run():
        for v in (x, W, b):
            v.cleargrad()
        y = F.convolution_2d(x, W, b, pad=1)
        # An upstream elementwise op hands back a gradient laid out like y.
        y.grad = numpy.ones_like(y.array)
        y.backward()
        assert x.grad is not None and W.grad is not None and b.grad is not None
    peak = _traced_peak(run)
    col = _nbytes((c, k, k, size, size, n))
    y_bytes = _nbytes((n, oc, size, size))
    budget = col + 2 * y_bytes + x.array.nbytes + W.array.nbytes + b.array.nbytes + SLACK
    assert peak <= budget, (peak, budget)
    # And the column buffer really is needed (the measurement is not vacuous).
    assert peak >= col


def _deconvolution_peak(x_array):
    rng = numpy.random.default_rng(1)
    x = dchain.Variable(x_array)
    W = dchain.Variable(rng.standard_normal((x_array.shape[1], 16, 3, 3)).astype(
        numpy.float32))
    y = F.deconvolution_2d(x, W, pad=1)
    y.grad = numpy.ones_like(y.array)
    y.backward()

    def run():
        x.cleargrad()
        W.cleargrad()
        y = F.deconvolution_2d(x, W, pad=1)
        y.grad = numpy.ones_like(y.array)
        y.backward()
    return _traced_peak(run), x, W


@pytest.mark.parametrize('batch_last_input', [True, False])
def test_deconvolution_forward_backward_peak(batch_last_input):
    n, c, size, oc, k = 8, 32, 16, 16, 3
    x_array = numpy.random.default_rng(2).standard_normal((n, c, size, size)).astype(
        numpy.float32)
    if batch_last_input:
        # The layout convolutions and poolings hand to the next layer.
        x_array = numpy.ascontiguousarray(x_array.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    peak, x, W = _deconvolution_peak(x_array)
    col = _nbytes((oc, k, k, size, size, n))
    y_bytes = _nbytes((n, oc, size, size))
    budget = col + 2 * y_bytes + x.array.nbytes + W.array.nbytes + SLACK
    if not batch_last_input:
        # The weight gradient contracts over (pixels, batch) in the column buffer's order;
        # an (n, c, h, w)-contiguous x is copied once into that order.
        budget += x.array.nbytes
    assert peak <= budget, (peak, budget)
    assert peak >= col

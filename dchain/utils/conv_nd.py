"""N-dimensional im2col/col2im on the CPU, shared by convolutions, deconvolutions and pooling.

Internally every spatial kernel works on a *batch-last* view of its operand: an array of shape
``(n, c, d_1, ..., d_N)`` is seen as ``(c, d_1, ..., d_N, n)``. Copying a window of such a view
moves runs of ``d_N * n`` contiguous elements instead of rows of ``d_N``, which is what makes
im2col/col2im cheap next to the GEMM; outputs are allocated batch-last and handed back as
``(n, c, ...)`` views, so a chain of convolutions and poolings never transposes.

The numpy im2col and col2im loop over kernel offsets only (``prod(ksize)`` iterations); each
iteration is one vectorized copy (or add) of the part of the window that falls inside the
input, and the padded border is filled with ``pval`` without materializing a padded input.
For 2-d kernels the compiled loops of :mod:`dchain._native` (when built) do the same work in
one pass; the numpy code is their fallback and the reference the tests compare them with.

The column buffers of convolutions are scratch space: :func:`workspace` hands out one
per-thread buffer that grows to the largest one needed and is reused, as cuDNN's workspace
is. A fresh multi-megabyte array per call costs page faults comparable to the copy itself.
"""
import functools
import itertools
import os
import threading

import numpy

from dchain import _native
from dchain import backend


def as_tuple(value, ndim, name, minimum=1):
    """``value`` (an int or a sequence of ``ndim`` ints) as a tuple, validated."""
    if isinstance(value, (int, numpy.integer)):
        values = (int(value),) * ndim
    else:
        try:
            if isinstance(value, str):
                raise TypeError
            values = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            raise TypeError('{} must be an int or a tuple of {} ints, got {!r}'.format(
                name, ndim, value)) from None
        if len(values) != ndim:
            raise ValueError('{} must have {} elements, got {!r}'.format(name, ndim, value))
    for v in values:
        if v < minimum:
            raise ValueError('{} must be >= {}, got {!r}'.format(name, minimum, value))
    return values


def get_conv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a convolution (or pooling) along one axis."""
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return (size + p * 2 - dk + s - 1) // s + 1
    return (size + p * 2 - dk) // s + 1


def get_deconv_outsize(size, k, s, p, cover_all=False, d=1):
    """Output length of a deconvolution (the input length of the matching convolution)."""
    dk = k + (k - 1) * (d - 1)
    if cover_all:
        return s * (size - 1) + dk - s + 1 - 2 * p
    return s * (size - 1) + dk - 2 * p


def to_batch_last(x):
    """View ``(n, c, *s)`` as ``(c, *s, n)`` (no copy)."""
    return x.transpose(tuple(range(1, x.ndim)) + (0,))


def from_batch_last(y):
    """View ``(c, *s, n)`` as ``(n, c, *s)`` (no copy)."""
    nd = y.ndim
    return y.transpose((nd - 1,) + tuple(range(nd - 1)))


def _valid_range(k, size, out, s, p, d):
    """Outputs ``[lo, hi)`` whose tap ``k`` lands inside the input, and the first input index."""
    start = k * d - p
    lo = 0 if start >= 0 else (-start + s - 1) // s
    last = size - 1 - start
    hi = 0 if last < 0 else min(out, last // s + 1)
    return lo, hi, start + lo * s


def _offsets(ksize):
    return itertools.product(*[range(k) for k in ksize])


_FULL = slice(None)


@functools.lru_cache(maxsize=256)
def _plan(ksize, in_size, out_size, stride, pad, dilate):
    """Index tuples of every kernel offset for im2col/col2im (cached per geometry).

    One entry per offset ``kk``: ``(kk, empty, src_index, dst_index, fills)`` where
    ``src_index`` selects the input pixels the offset reads (on a ``(c, *in, n)`` array),
    ``dst_index`` where they go in the ``(c, *out, n)`` slab of that offset, ``fills`` the
    parts of the slab that fall in the padding, and ``empty`` says the whole slab does.
    Building these slices costs as much Python time as a small copy, so they are reused.
    """
    ndim = len(ksize)
    entries = []
    for kk in _offsets(ksize):
        ranges = [_valid_range(kk[i], in_size[i], out_size[i], stride[i], pad[i], dilate[i])
                  for i in range(ndim)]
        if any(hi <= lo for lo, hi, _ in ranges):
            entries.append((kk, True, None, None, ()))
            continue
        src_index = (_FULL,) + tuple(slice(st, st + (hi - lo - 1) * s + 1, s)
                                     for (lo, hi, st), s in zip(ranges, stride))
        dst_index = (_FULL,) + tuple(slice(lo, hi) for lo, hi, _ in ranges)
        fills = []
        for i, (lo, hi, _) in enumerate(ranges):
            lead = (_FULL,) * (i + 1)
            if lo > 0:
                fills.append(lead + (slice(0, lo),))
            if hi < out_size[i]:
                fills.append(lead + (slice(hi, None),))
        entries.append((kk, False, src_index, dst_index, tuple(fills)))
    return tuple(entries)


@functools.lru_cache(maxsize=None)
def single_blas_thread():
    """Whether BLAS runs on one thread (from the environment, read once).

    Blocked im2col + GEMM pays off on one thread. With several, every small GEMM ends with
    BLAS worker threads spinning while this thread does the next copy; on a loaded machine
    they take its core, so the convolutions keep one GEMM per call there.
    """
    for name in ('OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS',
                 'MKL_NUM_THREADS'):
        value = os.environ.get(name)
        if value:
            try:
                return int(value.split(',')[0]) == 1
            except ValueError:
                continue
    return os.cpu_count() == 1


_scratch = threading.local()


def workspace(shape, dtype, xp=numpy):
    """A scratch array of ``shape`` inside this thread's reusable buffer (numpy only).

    The array is valid until the next call in the same thread: use it only for temporaries
    that die before the function that asked for it returns.
    """
    if xp is not numpy:
        return xp.empty(shape, dtype=dtype)
    dtype = numpy.dtype(dtype)
    nbytes = dtype.itemsize
    for s in shape:
        nbytes *= s
    buf = getattr(_scratch, 'buffer', None)
    if buf is None or buf.nbytes < nbytes:
        _scratch.buffer = None  # drop the old buffer before allocating its successor
        buf = _scratch.buffer = numpy.empty(max(nbytes, 1), dtype=numpy.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


def release_workspace():
    """Free this thread's scratch buffer (it is allocated again when next needed)."""
    _scratch.buffer = None


def im2col_batch_last(xt, ksize, stride, pad, dilate, out_size, pval=0,
                      kernel_first=False, out=None):
    """Patches of a batch-last array.

    Args:
        xt: array of shape ``(c, *in_size, n)``.
        out_size: output spatial size (explicit, so cover_all and deconvolution sizes pass
            through unchanged).
        kernel_first: layout ``(*ksize, c, *out_size, n)`` instead of
            ``(c, *ksize, *out_size, n)``.
        out: C-contiguous array of the column shape to fill (e.g. from :func:`workspace`).

    Returns:
        The column array (C-contiguous) in the chosen layout.
    """
    if len(ksize) == 2 and _native.available and _native.floats(xt) and \
            _native.worthwhile(xt) and (out is None or _native.floats(out)):
        col = _native.im2col_2d(xt, ksize, stride, pad, dilate, out_size, pval, kernel_first,
                                out)
        if col is not None:
            return col
    c = xt.shape[0]
    in_size = xt.shape[1:-1]
    n = xt.shape[-1]
    shape = (tuple(ksize) + (c,) if kernel_first else (c,) + tuple(ksize)) + \
        tuple(out_size) + (n,)
    col = backend.get_array_module(xt).empty(shape, dtype=xt.dtype) if out is None else \
        out.reshape(shape)
    for kk, empty, src_index, dst_index, fills in _plan(
            tuple(ksize), tuple(in_size), tuple(out_size), tuple(stride), tuple(pad),
            tuple(dilate)):
        dst = col[kk] if kernel_first else col[(_FULL,) + kk]
        if empty:
            dst.fill(pval)
            continue
        dst[dst_index] = xt[src_index]
        for fill in fills:
            dst[fill] = pval
    return col


def col2im_batch_last(col, in_size, stride, pad, dilate, kernel_first=False, ksize=None,
                      out=None):
    """Sum patches back into a batch-last array (the adjoint of :func:`im2col_batch_last`).

    Args:
        col: ``(c, *ksize, *out_size, n)`` (or kernel-first) column array. With ``ksize``
            given, ``col`` is instead one ``(c, *out_size, n)`` block added at every offset
            (the scatter of a window sum).
        in_size: spatial size of the result.
        out: optional zero-filled ``(c, *in_size, n)`` array to accumulate into.

    Returns:
        array of shape ``(c, *in_size, n)``.
    """
    ndim = len(in_size)
    broadcast = ksize is not None
    if not broadcast and ndim == 2 and _native.available and _native.floats(col) and \
            (out is None or _native.floats(out)):
        result = _native.col2im_2d(col, in_size, stride, pad, dilate, kernel_first, out)
        if result is not None:
            return result
    if broadcast:
        c, n = col.shape[0], col.shape[-1]
        out_size = col.shape[1:-1]
    elif kernel_first:
        ksize = col.shape[:ndim]
        c = col.shape[ndim]
        out_size = col.shape[ndim + 1:-1]
        n = col.shape[-1]
    else:
        c = col.shape[0]
        ksize = col.shape[1:1 + ndim]
        out_size = col.shape[1 + ndim:-1]
        n = col.shape[-1]
    taps = []
    first = None
    for kk, empty, dst_index, src_index, _ in _plan(
            tuple(ksize), tuple(in_size), tuple(out_size), tuple(stride), tuple(pad),
            tuple(dilate)):
        if empty:
            continue
        if broadcast:
            block = col
        else:
            block = col[kk] if kernel_first else col[(_FULL,) + kk]
        src = block[src_index]
        if first is None and out is None and src.shape[1:-1] == tuple(in_size):
            # This tap covers every pixel (the centre of a stride-1 'same' kernel): it
            # initializes the result, saving a zero fill and one read of it.
            first = src
        else:
            taps.append((src, dst_index))
    xp = backend.get_array_module(col)
    if first is not None:
        out = xp.empty((c,) + tuple(in_size) + (n,), dtype=col.dtype)
        out[...] = first
    elif out is None:
        out = xp.zeros((c,) + tuple(in_size) + (n,), dtype=col.dtype)
    for src, dst_index in taps:
        dst = out[dst_index]
        dst += src
    return out


def window_sum_batch_last(xt, ksize, stride, pad, dilate, out_size):
    """Sum of every window (zero padding) without building the column array."""
    ndim = len(ksize)
    c, n = xt.shape[0], xt.shape[-1]
    in_size = xt.shape[1:-1]
    y = backend.get_array_module(xt).zeros((c,) + tuple(out_size) + (n,), dtype=xt.dtype)
    full = slice(None)
    for kk in _offsets(ksize):
        ranges = [_valid_range(kk[i], in_size[i], out_size[i], stride[i], pad[i], dilate[i])
                  for i in range(ndim)]
        if any(hi <= lo for lo, hi, _ in ranges):
            continue
        src = xt[(full,) + tuple(slice(st, st + (hi - lo - 1) * s + 1, s)
                                 for (lo, hi, st), s in zip(ranges, stride))]
        y[(full,) + tuple(slice(lo, hi) for lo, hi, _ in ranges)] += src
    return y


def im2col_nd_cpu(img, ksize, stride, pad, pval=0, cover_all=False, dilate=1):
    """Patches of ``img`` ``(n, c, *size)`` as ``(n, c, *ksize, *out_size)`` (Chainer's layout).

    The result is a view of a batch-last buffer, not C-contiguous.
    """
    ndim = img.ndim - 2
    ksize = as_tuple(ksize, ndim, 'ksize')
    stride = as_tuple(stride, ndim, 'stride')
    pad = as_tuple(pad, ndim, 'pad', 0)
    dilate = as_tuple(dilate, ndim, 'dilate')
    out_size = tuple(get_conv_outsize(img.shape[2 + i], ksize[i], stride[i], pad[i],
                                      cover_all, dilate[i]) for i in range(ndim))
    col = im2col_batch_last(to_batch_last(img), ksize, stride, pad, dilate, out_size, pval)
    # (c, *k, *o, n) -> (n, c, *k, *o)
    return from_batch_last(col)


def col2im_nd_cpu(col, stride, pad, dims, dilate=1):
    """Adjoint of :func:`im2col_nd_cpu`: ``(n, c, *ksize, *out)`` to ``(n, c, *dims)``."""
    ndim = len(dims)
    stride = as_tuple(stride, ndim, 'stride')
    pad = as_tuple(pad, ndim, 'pad', 0)
    dilate = as_tuple(dilate, ndim, 'dilate')
    ct = to_batch_last(col)
    return from_batch_last(col2im_batch_last(ct, tuple(dims), stride, pad, dilate))

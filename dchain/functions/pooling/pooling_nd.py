"""Shared machinery of the N-d pooling functions: argument handling, window geometry, and
the linear window nodes (window sum and its adjoint) behind average pooling and unpooling.

Like the convolutions, pooling works on batch-last views ``(c, *size, n)`` (see
:mod:`dchain.utils.conv_nd`) and returns ``(n, c, *size)`` views of batch-last buffers.
"""
import numpy

from dchain import _native
from dchain import backend
from dchain import function_node
from dchain.utils import conv_nd
from dchain.utils import type_check


class Geometry:
    """Windows of a pooling: ``ksize``, ``stride``, ``pad`` between ``in_size``/``out_size``."""

    __slots__ = ('ksize', 'stride', 'pad', 'dilate', 'in_size', 'out_size')

    def __init__(self, ksize, stride, pad, in_size, out_size):
        self.ksize = tuple(ksize)
        self.stride = tuple(stride)
        self.pad = tuple(pad)
        self.dilate = (1,) * len(ksize)
        self.in_size = tuple(in_size)
        self.out_size = tuple(out_size)

    @property
    def kernel_size(self):
        size = 1
        for k in self.ksize:
            size *= k
        return size

    def im2col(self, xt, pval):
        """Kernel-first columns ``(*ksize, c, *out, n)`` of a batch-last array."""
        return conv_nd.im2col_batch_last(xt, self.ksize, self.stride, self.pad, self.dilate,
                                         self.out_size, pval, kernel_first=True)

    def col2im(self, col):
        return conv_nd.col2im_batch_last(col, self.in_size, self.stride, self.pad,
                                         self.dilate, kernel_first=True)

    def window_sum(self, xt):
        return conv_nd.window_sum_batch_last(xt, self.ksize, self.stride, self.pad,
                                             self.dilate, self.out_size)

    def window_scatter(self, yt):
        return conv_nd.col2im_batch_last(yt, self.in_size, self.stride, self.pad,
                                         self.dilate, ksize=self.ksize)


class PoolingND(function_node.FunctionNode):
    """Base of the pooling nodes: validated ``ksize``/``stride``/``pad`` and a type check."""

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=True):
        if ksize is None:
            raise ValueError('ksize is required')
        self.ndim = ndim
        self.ksize = conv_nd.as_tuple(ksize, ndim, 'ksize')
        self.stride = self.ksize if stride is None else conv_nd.as_tuple(stride, ndim,
                                                                         'stride')
        self.pad = conv_nd.as_tuple(pad, ndim, 'pad', 0)
        self.cover_all = bool(cover_all)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == self.ndim + 2)
        slack = 0
        for i in range(self.ndim):
            if self.cover_all:
                slack = self.stride[i] - 1
            type_check.expect(x_type.shape[2 + i] + 2 * self.pad[i] + slack >= self.ksize[i])

    def geometry(self, in_size):
        out_size = tuple(conv_nd.get_conv_outsize(in_size[i], self.ksize[i], self.stride[i],
                                                  self.pad[i], self.cover_all)
                         for i in range(self.ndim))
        return Geometry(self.ksize, self.stride, self.pad, in_size, out_size)


def count_coefficient(geometry, dtype, xp):
    """``1 / (number of non-padding inputs)`` of every window, shaped ``(1, *out, 1)``."""
    ones = xp.ones((1,) + geometry.in_size + (1,), dtype=dtype)
    counts = geometry.window_sum(ones)
    return (1 / counts).astype(dtype, copy=False)


def _scale(y, coeff):
    if isinstance(coeff, float):
        y *= y.dtype.type(coeff)
    else:
        y *= coeff
    return y


class WindowSum(function_node.FunctionNode):
    """``coeff`` times the sum of every window (average pooling's forward, unpooling's grad).

    ``coeff`` is a float or an array of shape ``(1, *out_size, 1)``.
    """

    def __init__(self, geometry, coeff):
        self.geometry = geometry
        self.coeff = coeff

    def forward(self, inputs):
        x, = inputs
        y = _scale(self.geometry.window_sum(conv_nd.to_batch_last(x)), self.coeff)
        return conv_nd.from_batch_last(y),

    def backward(self, indexes, grad_outputs):
        return WindowScatter(self.geometry, self.coeff).apply(grad_outputs)


class WindowScatter(function_node.FunctionNode):
    """Adjoint of :class:`WindowSum`: add ``coeff * y`` to every input of its window."""

    def __init__(self, geometry, coeff):
        self.geometry = geometry
        self.coeff = coeff

    def forward(self, inputs):
        y, = inputs
        yt = conv_nd.to_batch_last(y)
        if isinstance(self.coeff, float):
            yt = yt * yt.dtype.type(self.coeff)
        else:
            yt = yt * self.coeff
        return conv_nd.from_batch_last(self.geometry.window_scatter(yt)),

    def backward(self, indexes, grad_outputs):
        return WindowSum(self.geometry, self.coeff).apply(grad_outputs)


def _index_dtype(kernel_size):
    return numpy.int8 if kernel_size < 128 else numpy.int32


def _tap_views(geometry, xt):
    """Per-tap strided views ``(c, *out, n)`` of ``xt``, or None when some tap needs padding."""
    views = []
    for kk in conv_nd._offsets(geometry.ksize):
        index = [slice(None)]
        for i, k in enumerate(kk):
            start = k - geometry.pad[i]
            stop = start + (geometry.out_size[i] - 1) * geometry.stride[i] + 1
            if start < 0 or stop > geometry.in_size[i]:
                return None
            index.append(slice(start, stop, geometry.stride[i]))
        views.append(xt[tuple(index)])
    return views


def max_with_indexes(geometry, x):
    """Window maxima of ``x`` ``(n, c, *in)`` and the argmax within each window.

    Returns batch-last ``(c, *out, n)`` maxima and flat indexes (first maximum wins).
    """
    xp = backend.get_array_module(x)
    xt = conv_nd.to_batch_last(x)
    if len(geometry.ksize) == 2 and _native.available and _native.floats(xt) and \
            _native.worthwhile(xt):
        # One pass over each window instead of four array passes per tap.
        result = _native.max_pool_2d_forward(xt, geometry.ksize, geometry.stride,
                                             geometry.pad, geometry.out_size,
                                             _index_dtype(geometry.kernel_size))
        if result is not None:
            return result[0], result[1].reshape(-1)
    taps = _tap_views(geometry, xt)
    if taps is None:
        # Some windows reach into the padding: build columns with -inf there.
        col = geometry.im2col(xt, -numpy.inf)
        taps = list(col.reshape((geometry.kernel_size,) + col.shape[len(geometry.ksize):]))
    y = taps[0].copy()
    idx = xp.zeros(y.shape, dtype=_index_dtype(len(taps)))
    mask = xp.empty(y.shape, dtype=bool)
    step = xp.empty(y.shape, dtype=idx.dtype)
    for k in range(1, len(taps)):
        # Strictly greater: a later tap wins only when larger, so ties keep the first; and
        # since k grows, the index of the last win is max(idx, k * won).
        xp.greater(taps[k], y, out=mask)
        xp.maximum(y, taps[k], out=y)
        xp.multiply(mask, idx.dtype.type(k), out=step)
        xp.maximum(idx, step, out=idx)
    return y, idx.reshape(-1)


class MaxPoolingScatter(function_node.FunctionNode):
    """Put each value at its window's argmax (max pooling's gradient, upsampling).

    With ``gate`` (an array of the pooled batch-last shape and dtype), each value is first
    multiplied by ``gate > 0``: a constant factor, so the function stays linear.
    """

    def __init__(self, geometry, indexes, gate=None):
        self.geometry = geometry
        self.indexes = indexes  # flat, batch-last order
        self.gate = gate

    def forward(self, inputs):
        gy, = inputs
        xp = backend.get_array_module(gy)
        g = self.geometry
        gyt = conv_nd.to_batch_last(gy)
        if (len(g.ksize) == 2 and _native.available and _native.floats(gyt) and
                _native.worthwhile(gyt) and self.indexes.dtype in (numpy.int8, numpy.int32)):
            gx = _native.max_pool_2d_backward(gyt, self.indexes, g.in_size, g.ksize, g.stride,
                                              g.pad, self.gate)
            if gx is not None:
                return conv_nd.from_batch_last(gx),
        if self.gate is not None:
            gyt = gyt * (self.gate > 0)
        c, n = gyt.shape[0], gyt.shape[-1]
        idx = self.indexes.reshape(gyt.shape)
        # Windows that tile the input (stride == ksize, no padding) never share a pixel:
        # each tap's share is written straight into place, with no zero fill and no adds.
        tiles = g.stride == g.ksize and not any(g.pad)
        shape = (c,) + g.in_size + (n,)
        gx = xp.empty(shape, dtype=gy.dtype) if tiles else xp.zeros(shape, dtype=gy.dtype)
        mask = xp.empty(gyt.shape, dtype=bool)
        picked = None if tiles else xp.empty(gyt.shape, dtype=gy.dtype)
        full = slice(None)
        for k, kk in enumerate(conv_nd._offsets(g.ksize)):
            ranges = [conv_nd._valid_range(kk[i], g.in_size[i], g.out_size[i], g.stride[i],
                                           g.pad[i], 1) for i in range(len(kk))]
            if any(hi <= lo for lo, hi, _ in ranges):
                continue
            src_index = (full,) + tuple(slice(lo, hi) for lo, hi, _ in ranges)
            dst = gx[(full,) + tuple(slice(st, st + (hi - lo - 1) * s + 1, s)
                                     for (lo, hi, st), s in zip(ranges, g.stride))]
            xp.equal(idx[src_index], idx.dtype.type(k), out=mask[src_index])
            if tiles:
                xp.multiply(gyt[src_index], mask[src_index], out=dst)
            else:
                xp.multiply(gyt, mask, out=picked)
                dst += picked[src_index]
        if tiles:
            for i in range(len(g.ksize)):
                covered = g.out_size[i] * g.ksize[i]
                if covered < g.in_size[i]:
                    gx[(full,) * (i + 1) + (slice(covered, None),)] = 0
        return conv_nd.from_batch_last(gx),

    def backward(self, indexes, grad_outputs):
        return MaxPoolingGather(self.geometry, self.indexes, self.gate).apply(grad_outputs)


class MaxPoolingGather(function_node.FunctionNode):
    """Take from each window the value at the recorded argmax (double backprop of max);
    with ``gate``, times ``gate > 0`` (the adjoint of a gated scatter)."""

    def __init__(self, geometry, indexes, gate=None):
        self.geometry = geometry
        self.indexes = indexes
        self.gate = gate

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        g = self.geometry
        col = g.im2col(conv_nd.to_batch_last(x), 0)
        out_shape = col.shape[len(g.ksize):]
        col = col.reshape(g.kernel_size, -1)
        y = xp.take_along_axis(col, self.indexes[None, :].astype(numpy.intp), axis=0)
        y = y.reshape(out_shape)
        if self.gate is not None:
            y *= self.gate > 0
        return conv_nd.from_batch_last(y),

    def backward(self, indexes, grad_outputs):
        return MaxPoolingScatter(self.geometry, self.indexes, self.gate).apply(grad_outputs)

"""N-dimensional convolution (``F.convolution_nd``, ``F.convolution_1d``, ``F.convolution_3d``).

CPU kernel: one im2col into a batch-last column buffer ``(c, *k, *out, n)`` and one GEMM for
the whole batch (one per group); with one group the bias is added by the same GEMM, as a last
column of the weight matrix against a row of ones under the columns. The output is allocated
batch-last and returned as an ``(n, c_out, *out)`` view. The gradient w.r.t. ``x`` is a
deconvolution and the gradient w.r.t. ``W`` a :class:`ConvolutionNDGradW` node, so both can
be differentiated again.
With one BLAS thread, im2col and the GEMM run block by block on column blocks that stay in
a core's cache (the per-thread workspace of :mod:`dchain.utils.conv_nd`), and the weight
gradient rebuilds them the same way. With several BLAS threads a GEMM must cover the whole
batch to keep them busy, so the column buffer goes through memory; there, when the graph is
recorded, forward keeps its columns for the weight gradient (as Chainer does) and backward
drops them once it is computed, before the input gradient's deconvolution (which folds its
columns block by block) runs, so one convolution's peak still holds one column buffer.
Columns kept alive at once are capped at ``config.conv_kept_columns_mb``
(``DCHAIN_CONV_KEPT_COLUMNS_MB``, default 64; 0 keeps none): past it, convolutions rebuild
them, so a deep network's memory stays that of its activations.
"""
import threading
import weakref

import numpy

from dchain import backend
from dchain import function_node
from dchain.config import config
from dchain.utils import conv_nd
from dchain.utils import type_check


def _matmul(a, b, out=None):
    """``a @ b`` for ``(G, m, k) @ (G, k, p)``; a single GEMM when there is one group."""
    xp = backend.get_array_module(a)
    if a.shape[0] == 1:
        return xp.matmul(a[0], b[0], out=None if out is None else out[0])[None]
    return xp.matmul(a, b, out=out)


def _columns(x, ksize, stride, pad, dilate, out_size, ones_row=False, out=None):
    """im2col of ``x`` as a ``(c * prod(ksize), prod(out_size) * n)`` matrix, in ``out`` (a
    fresh array of that shape, or one row more) or else in the thread's workspace (valid
    until the next convolution).

    With ``ones_row`` the matrix has a last row of ones, so that a GEMM whose weight matrix
    ends with the bias as a column adds the bias too: no pass over the output for it.
    """
    xp = backend.get_array_module(x)
    n, c = x.shape[:2]
    rows = c * _prod(ksize)
    shape = (rows + int(ones_row), _prod(out_size) * n)
    buf = conv_nd.workspace(shape, x.dtype, xp) if out is None else out
    conv_nd.im2col_batch_last(conv_nd.to_batch_last(x), ksize, stride, pad, dilate, out_size,
                              out=buf[:rows].reshape((c,) + tuple(ksize) + tuple(out_size) +
                                                     (n,)))
    if ones_row:
        buf[rows] = 1
    return buf


# Column blocks of about this many bytes stay in a core's L2 cache between im2col writing
# them and the GEMM reading them; one buffer for the whole batch would go through memory.
_BLOCK_BYTES = 2 * 1024 * 1024


def _row_blocks(x, ksize, out_size):
    """Ranges of the first output axis whose column blocks are about ``_BLOCK_BYTES`` each."""
    n, c = x.shape[:2]
    rows = out_size[0]
    if (backend.get_array_module(x) is not numpy or rows <= 1 or
            not conv_nd.single_blas_thread()):
        return [(0, rows)]
    row_bytes = c * _prod(ksize) * _prod(out_size[1:]) * n * x.dtype.itemsize
    step = max(1, min(rows, _BLOCK_BYTES // max(row_bytes, 1)))
    count = -(-rows // step)
    step = -(-rows // count)  # even blocks
    return [(r, min(rows, r + step)) for r in range(0, rows, step)]


def _im2col_rows(x, ksize, stride, pad, dilate, out_size, r0, r1, ones_row=False):
    """:func:`_columns` of the output rows ``[r0, r1)`` along the first spatial axis, in the
    workspace.

    Starting at output row ``r0`` is the same as padding ``r0 * stride`` less at the top.
    """
    pad = (pad[0] - r0 * stride[0],) + tuple(pad[1:])
    return _columns(x, ksize, stride, pad, dilate, (r1 - r0,) + tuple(out_size[1:]), ones_row)


class _KeptColumns:
    """Bytes of column buffers that forward convolutions keep alive right now."""

    lock = threading.Lock()
    nbytes = 0

    @classmethod
    def reserve(cls, nbytes):
        """Count ``nbytes`` more if they fit under ``config.conv_kept_columns_mb``."""
        with cls.lock:
            if cls.nbytes + nbytes > config.conv_kept_columns_mb * 2 ** 20:
                return False
            cls.nbytes += nbytes
            return True

    @classmethod
    def release(cls, nbytes):
        with cls.lock:
            cls.nbytes -= nbytes


def _kept_columns(x, ksize, stride, pad, dilate, out_size, ones_row):
    """:func:`_columns` of the whole batch in a fresh array, counted until it is freed, or
    None past the limit."""
    n, c = x.shape[:2]
    shape = (c * _prod(ksize) + int(ones_row), _prod(out_size) * n)
    nbytes = _prod(shape) * x.dtype.itemsize
    if not _KeptColumns.reserve(nbytes):
        return None
    xp = backend.get_array_module(x)
    col = _columns(x, ksize, stride, pad, dilate, out_size, ones_row,
                   out=xp.empty(shape, dtype=x.dtype))
    weakref.finalize(col, _KeptColumns.release, nbytes)
    return col


def conv_forward(x, W, b, stride, pad, dilate, groups, out_size, keep_columns=False):
    """``y = conv(x, W) + b`` on arrays (numpy or cupy); ``y`` is a view of a batch-last buffer.

    Returns ``(y, col)``: with ``keep_columns``, ``col`` is the column matrix of the whole
    batch when one GEMM covered it and the limit on kept columns allowed (a fresh array, not
    the workspace, with the row of ones if the bias was added by the GEMM), else None.
    """
    xp = backend.get_array_module(x)
    n = x.shape[0]
    oc = W.shape[0]
    ksize = W.shape[2:]
    w = W.reshape(groups, oc // groups, -1)
    # With one group the bias rides in the GEMM: [W | b] @ [col; 1].
    fold_bias = b is not None and groups == 1
    if fold_bias:
        w = xp.concatenate((w[0], b[:, None].astype(w.dtype, copy=False)), axis=1)[None]
    blocks = _row_blocks(x, ksize, out_size)
    kept = None
    if len(blocks) == 1:
        if keep_columns:
            kept = _kept_columns(x, ksize, stride, pad, dilate, out_size, fold_bias)
        col = kept if kept is not None else \
            _columns(x, ksize, stride, pad, dilate, out_size, fold_bias)
        y = _matmul(w, col.reshape(groups, -1, col.shape[1]))
    else:
        row = _prod(out_size[1:]) * n
        y = xp.empty((groups, oc // groups, out_size[0] * row), dtype=x.dtype)
        for r0, r1 in blocks:
            col = _im2col_rows(x, ksize, stride, pad, dilate, out_size, r0, r1, fold_bias)
            _matmul(w, col.reshape(groups, -1, col.shape[1]), out=y[:, :, r0 * row:r1 * row])
    y = y.reshape(oc, -1)
    if b is not None and not fold_bias:
        y += b[:, None]
    return conv_nd.from_batch_last(y.reshape((oc,) + tuple(out_size) + (n,))), kept


def conv_grad_w(x, gy, w_shape, stride, pad, dilate, groups, col=None):
    """Gradient of ``conv(x, W)`` w.r.t. ``W`` given the output gradient ``gy``.

    ``col``: the columns of ``x`` for the whole batch if the forward kept them. If they end
    with the row of ones of a bias added by the GEMM, the same GEMM also gives the bias
    gradient: returns ``(gW, gb)``, with ``gb`` None otherwise.
    """
    n = x.shape[0]
    oc = w_shape[0]
    ksize = w_shape[2:]
    out_size = gy.shape[2:]
    row = _prod(out_size[1:]) * n
    gyt = conv_nd.to_batch_last(gy).reshape(groups, oc // groups, out_size[0] * row)
    if col is not None:
        rows = w_shape[1] * _prod(ksize)
        product = _matmul(gyt, col.reshape(groups, -1, out_size[0] * row).transpose(0, 2, 1))
        if col.shape[0] == groups * rows:
            return product.reshape(w_shape), None
        # [gW | gb] = gy @ [col; 1]^T (one group).
        xp = backend.get_array_module(product)
        return (xp.ascontiguousarray(product[0, :, :rows]).reshape(w_shape),
                product[0, :, rows].copy())
    gW = None
    for r0, r1 in _row_blocks(x, ksize, out_size):
        col = _im2col_rows(x, ksize, stride, pad, dilate, out_size, r0, r1)
        col = col.reshape(groups, -1, (r1 - r0) * row)
        part = _matmul(gyt[:, :, r0 * row:r1 * row], col.transpose(0, 2, 1))
        if gW is None:
            gW = part
        else:
            gW += part
    return gW.reshape(w_shape), None


def needs_cover_all(in_size, out_size, ksize, conv):
    """Whether ``conv``'s geometry maps ``in_size`` to ``out_size`` only with cover_all."""
    return any(conv_nd.get_conv_outsize(in_size[i], ksize[i], conv.stride[i], conv.pad[i],
                                        d=conv.dilate[i]) != out_size[i]
               for i in range(len(in_size)))


def _prod(values):
    p = 1
    for v in values:
        p *= v
    return p


def _check_conv_types(in_types, ndim, groups):
    n_in = type_check.eval(in_types.size())
    type_check.expect(in_types.size() >= 2, in_types.size() <= 3)
    type_check.argname(in_types, ('x', 'W', 'b')[:n_in])
    x_type, w_type = in_types[:2]
    type_check.expect(
        x_type.dtype.kind == 'f',
        w_type.dtype == x_type.dtype,
        x_type.ndim == ndim + 2,
        w_type.ndim == ndim + 2,
        x_type.shape[1] == w_type.shape[1] * groups,
    )
    if n_in == 3:
        b_type = in_types[2]
        type_check.expect(
            b_type.dtype == x_type.dtype,
            b_type.ndim == 1,
            b_type.shape[0] == w_type.shape[0],
        )


class ConvolutionND(function_node.FunctionNode):
    """N-d convolution of ``x`` ``(n, c, *size)`` with ``W`` ``(c_out, c / groups, *k)``."""

    def __init__(self, ndim, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
        self.ndim = ndim
        self.stride = conv_nd.as_tuple(stride, ndim, 'stride')
        self.pad = conv_nd.as_tuple(pad, ndim, 'pad', 0)
        self.dilate = conv_nd.as_tuple(dilate, ndim, 'dilate')
        self.cover_all = bool(cover_all)
        if not isinstance(groups, (int, numpy.integer)) or groups < 1:
            raise ValueError('groups must be a positive int, got {!r}'.format(groups))
        self.groups = int(groups)

    def _out_size(self, in_size, ksize):
        return tuple(conv_nd.get_conv_outsize(in_size[i], ksize[i], self.stride[i],
                                              self.pad[i], self.cover_all, self.dilate[i])
                     for i in range(self.ndim))

    def check_type_forward(self, in_types):
        _check_conv_types(in_types, self.ndim, self.groups)
        x_type, w_type = in_types[:2]
        type_check.expect(w_type.shape[0] % self.groups == 0)
        for i in range(self.ndim):
            dk = (w_type.shape[2 + i] - 1) * self.dilate[i] + 1
            type_check.expect(x_type.shape[2 + i] + 2 * self.pad[i] >= dk)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        b = inputs[2] if len(inputs) == 3 else None
        out_size = self._out_size(x.shape[2:], W.shape[2:])
        # (Kept on the CPU, where the BLAS threads make the difference; see the module doc.)
        y, self._columns = conv_forward(
            x, W, b, self.stride, self.pad, self.dilate, self.groups, out_size,
            keep_columns=config.enable_backprop and isinstance(x, numpy.ndarray))
        return y,

    def backward(self, indexes, grad_outputs):
        from dchain.functions.connection.deconvolution_nd import DeconvolutionND
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        # The kept columns serve one weight gradient; dropping them first means the input
        # gradient's column buffer never coexists with them.
        columns, self._columns = self._columns, None
        grads = {}
        bias_grad = None
        if 1 in indexes:
            grad_w = ConvolutionNDGradW(self, W.shape, columns)
            grads[1] = grad_w.apply((x, gy))[0]
            bias_grad = grad_w.bias_grad    # from the same GEMM, when the columns allowed
        del columns
        if 0 in indexes:
            grads[0] = DeconvolutionND(self.ndim, self.stride, self.pad, x.shape[2:],
                                       self.dilate, self.groups).apply((gy, W))[0]
        if 2 in indexes:
            grads[2] = ConvolutionBiasGrad(bias_grad).apply((gy,))[0]
        return tuple(grads[i] for i in indexes)


class ConvolutionBiasGrad(function_node.FunctionNode):
    """Bias gradient: ``gy`` summed over the batch and every pixel, per channel.

    On the batch-last layout this is one matrix-vector product with a vector of ones, which
    BLAS runs at memory speed on every core. ``computed``: the result, if the weight
    gradient's GEMM has produced it already (see :func:`conv_grad_w`).
    """

    def __init__(self, computed=None):
        self._computed = computed

    def forward(self, inputs):
        gy, = inputs
        self._gy_shape = gy.shape
        computed, self._computed = self._computed, None
        if computed is not None:
            return computed,
        xp = backend.get_array_module(gy)
        gyt = conv_nd.to_batch_last(gy)
        if gyt.flags.c_contiguous and gy.dtype in (numpy.float32, numpy.float64):
            rows = gyt.reshape(gy.shape[1], -1)
            return xp.matmul(rows, xp.ones(rows.shape[1], dtype=gy.dtype)),
        return xp.asarray(gy.sum(axis=(0,) + tuple(range(2, gy.ndim)))),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        from dchain.functions.array.reshape import reshape
        ggb, = grad_outputs
        shape = self._gy_shape
        return broadcast_to(reshape(ggb, (1, shape[1]) + (1,) * (len(shape) - 2)), shape),


class ConvolutionNDGradW(function_node.FunctionNode):
    """Gradient of a convolution w.r.t. its weight, as a function of ``(x, gy)``."""

    def __init__(self, conv, w_shape, columns=None):
        self.ndim = conv.ndim
        self.stride = conv.stride
        self.pad = conv.pad
        self.dilate = conv.dilate
        self.groups = conv.groups
        self.w_shape = tuple(w_shape)
        self._columns = columns     # x's columns, kept by the forward convolution
        self.bias_grad = None       # set by forward when the kept columns gave it too

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gy = inputs
        columns, self._columns = self._columns, None
        gW, self.bias_grad = conv_grad_w(x, gy, self.w_shape, self.stride, self.pad,
                                         self.dilate, self.groups, columns)
        return gW,

    def backward(self, indexes, grad_outputs):
        from dchain.functions.connection.deconvolution_nd import DeconvolutionND
        x, gy = self.get_retained_inputs()
        ggW, = grad_outputs
        ret = []
        if 0 in indexes:
            ret.append(DeconvolutionND(self.ndim, self.stride, self.pad, x.shape[2:],
                                       self.dilate, self.groups).apply((gy, ggW))[0])
        if 1 in indexes:
            cover_all = needs_cover_all(x.shape[2:], gy.shape[2:], self.w_shape[2:], self)
            ret.append(ConvolutionND(self.ndim, self.stride, self.pad, cover_all,
                                     self.dilate, self.groups).apply((x, ggW))[0])
        return tuple(ret)


def convolution_nd(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """N-dimensional convolution.

    Args:
        x (Variable or array): input ``(n, c_in, d_1, ..., d_N)``.
        W (Variable or array): weight ``(c_out, c_in / groups, k_1, ..., k_N)``.
        b (Variable or array): bias ``(c_out,)`` or None.
        stride, pad, dilate (int or tuple of N ints): stride, zero padding and dilation of
            the kernel.
        cover_all (bool): extend the output so every input pixel is covered by some window.
        groups (int): split the channels into this many independent groups.

    Returns:
        Variable: ``(n, c_out, o_1, ..., o_N)`` with
        ``o = (d + 2 p - ((k - 1) dilate + 1)) // s + 1`` (plus ``s - 1`` in the numerator
        with ``cover_all``).
    """
    ndim = len(x.shape) - 2
    if ndim < 1:
        raise type_check.InvalidType('x.ndim >= 3', 'x.ndim = {}'.format(len(x.shape)))
    func = ConvolutionND(ndim, stride, pad, cover_all, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return func.apply(args)[0]


def convolution_1d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """1-d convolution: :func:`convolution_nd` on ``(n, c, w)`` inputs."""
    if len(x.shape) != 3:
        raise type_check.InvalidType('x.ndim == 3', 'x.ndim = {}'.format(len(x.shape)))
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_3d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """3-d convolution: :func:`convolution_nd` on ``(n, c, d, h, w)`` inputs."""
    if len(x.shape) != 5:
        raise type_check.InvalidType('x.ndim == 5', 'x.ndim = {}'.format(len(x.shape)))
    return convolution_nd(x, W, b, stride, pad, cover_all, dilate, groups)

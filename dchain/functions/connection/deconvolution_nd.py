"""N-dimensional deconvolution (``F.deconvolution_nd``, ``F.deconvolution_1d``/``3d``).

The transpose of a convolution: GEMMs ``W^T x`` give a batch-last column buffer, and col2im (a
loop over kernel offsets, each a vectorized add) folds it into the output. On the CPU a large
input goes in blocks of rows whose columns are folded while still in cache, whatever the number
of BLAS threads: unlike a convolution's, these GEMMs keep enough rows per block (the kernel's
taps times the output channels) to occupy several threads. The gradient w.r.t. ``x`` is a
convolution with the same ``W`` and the gradient w.r.t. ``W`` is the convolution's weight
gradient with the roles of input and output swapped.
"""
import numpy

from dchain import backend
from dchain import function_node
from dchain.functions.connection.convolution_nd import (
    ConvolutionBiasGrad, ConvolutionND, ConvolutionNDGradW, _matmul, _prod, needs_cover_all)
from dchain.utils import conv_nd
from dchain.utils import type_check


def deconv_forward(x, W, b, stride, pad, dilate, groups, out_size):
    """``y = deconv(x, W) + b``; ``W`` is ``(c_in, c_out / groups, *k)``.

    Large host inputs go in blocks of rows along the first spatial axis: each block's GEMM
    result is folded into ``y`` while it is still in cache.
    """
    xp = backend.get_array_module(x)
    n, ic = x.shape[:2]
    ksize = W.shape[2:]
    ocg = W.shape[1]
    oc = ocg * groups
    in_size = x.shape[2:]
    row = _prod(in_size[1:]) * n
    xt = conv_nd.to_batch_last(x).reshape(groups, ic // groups, in_size[0] * row)
    wt = W.reshape(groups, ic // groups, -1).transpose(0, 2, 1)
    blocks = _deconv_row_blocks(x, wt.shape[1] * groups)
    y = None
    if len(blocks) > 1:
        y = xp.zeros((oc,) + tuple(out_size) + (n,), dtype=x.dtype)
    for r0, r1 in blocks:
        m = (r1 - r0) * row
        scratch = conv_nd.workspace((groups, wt.shape[1], m), x.dtype, xp)
        col = _matmul(wt, xt[:, :, r0 * row:r1 * row], out=scratch)
        col = col.reshape((oc,) + tuple(ksize) + (r1 - r0,) + tuple(in_size[1:]) + (n,))
        # Input row r0 is where a convolution padded r0 * stride less starts.
        block_pad = (pad[0] - r0 * stride[0],) + tuple(pad[1:])
        y = conv_nd.col2im_batch_last(col, out_size, stride, block_pad, dilate, out=y)
    if b is not None:
        y2 = y.reshape(oc, -1)
        y2 += b[:, None]
    return conv_nd.from_batch_last(y)


# Blocks of GEMM output of about this many bytes stay in a core's L2 cache until folded.
_BLOCK_BYTES = 2 * 1024 * 1024


def _deconv_row_blocks(x, col_rows):
    """Row ranges of ``x``'s first spatial axis with about ``_BLOCK_BYTES`` of columns each."""
    rows = x.shape[2]
    if backend.get_array_module(x) is not numpy or rows <= 1:
        return [(0, rows)]
    row_bytes = col_rows * (x.size // (x.shape[1] * rows)) * x.dtype.itemsize
    step = max(1, min(rows, _BLOCK_BYTES // max(row_bytes, 1)))
    count = -(-rows // step)
    step = -(-rows // count)
    return [(r, min(rows, r + step)) for r in range(0, rows, step)]


class DeconvolutionND(function_node.FunctionNode):
    """N-d deconvolution of ``x`` ``(n, c_in, *size)`` with ``W`` ``(c_in, c_out/groups, *k)``."""

    def __init__(self, ndim, stride=1, pad=0, outsize=None, dilate=1, groups=1):
        self.ndim = ndim
        self.stride = conv_nd.as_tuple(stride, ndim, 'stride')
        self.pad = conv_nd.as_tuple(pad, ndim, 'pad', 0)
        self.dilate = conv_nd.as_tuple(dilate, ndim, 'dilate')
        self.outsize = None if outsize is None else conv_nd.as_tuple(outsize, ndim, 'outsize')
        if not isinstance(groups, (int, numpy.integer)) or groups < 1:
            raise ValueError('groups must be a positive int, got {!r}'.format(groups))
        self.groups = int(groups)

    def _out_size(self, in_size, ksize):
        if self.outsize is not None:
            return self.outsize
        return tuple(conv_nd.get_deconv_outsize(in_size[i], ksize[i], self.stride[i],
                                                self.pad[i], d=self.dilate[i])
                     for i in range(self.ndim))

    def check_type_forward(self, in_types):
        n_in = type_check.eval(in_types.size())
        type_check.expect(in_types.size() >= 2, in_types.size() <= 3)
        type_check.argname(in_types, ('x', 'W', 'b')[:n_in])
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == 'f',
            w_type.dtype == x_type.dtype,
            x_type.ndim == self.ndim + 2,
            w_type.ndim == self.ndim + 2,
            x_type.shape[1] == w_type.shape[0],
            w_type.shape[0] % self.groups == 0,
        )
        if self.outsize is not None:
            # outsize must be an input size that a convolution maps onto x's size.
            for i in range(self.ndim):
                k = type_check.eval(w_type.shape[2 + i])
                size = type_check.eval(x_type.shape[2 + i])
                args = (self.outsize[i], k, self.stride[i], self.pad[i])
                if size not in (conv_nd.get_conv_outsize(*args, d=self.dilate[i]),
                                conv_nd.get_conv_outsize(*args, cover_all=True,
                                                         d=self.dilate[i])):
                    raise type_check.InvalidType(
                        'a convolution of outsize[{0}] gives x.shape[{1}]'.format(i, 2 + i),
                        'outsize[{}] = {} does not map to x.shape[{}] = {}'.format(
                            i, self.outsize[i], 2 + i, size))
        else:
            for i in range(self.ndim):
                dk = (w_type.shape[2 + i] - 1) * self.dilate[i] + 1
                type_check.expect(
                    (x_type.shape[2 + i] - 1) * self.stride[i] + dk > 2 * self.pad[i])
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[1] * self.groups,
            )

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        b = inputs[2] if len(inputs) == 3 else None
        out_size = self._out_size(x.shape[2:], W.shape[2:])
        return deconv_forward(x, W, b, self.stride, self.pad, self.dilate, self.groups,
                              out_size),

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        if 0 in indexes:
            cover_all = needs_cover_all(gy.shape[2:], x.shape[2:], W.shape[2:], self)
            ret.append(ConvolutionND(self.ndim, self.stride, self.pad, cover_all,
                                     self.dilate, self.groups).apply((gy, W))[0])
        if 1 in indexes:
            ret.append(ConvolutionNDGradW(self, W.shape).apply((gy, x))[0])
        if 2 in indexes:
            ret.append(ConvolutionBiasGrad().apply((gy,))[0])
        return tuple(ret)


def deconvolution_nd(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """N-dimensional deconvolution (transposed convolution).

    Args:
        x (Variable or array): input ``(n, c_in, d_1, ..., d_N)``.
        W (Variable or array): weight ``(c_in, c_out / groups, k_1, ..., k_N)``.
        b (Variable or array): bias ``(c_out,)`` or None.
        stride, pad, dilate (int or tuple of N ints): those of the matching convolution.
        outsize (tuple of N ints or None): output size; None takes the smallest,
            ``s (d - 1) + (k - 1) dilate + 1 - 2 p``.
        groups (int): number of channel groups.

    Returns:
        Variable: ``(n, c_out, *outsize)``.
    """
    ndim = len(x.shape) - 2
    if ndim < 1:
        raise type_check.InvalidType('x.ndim >= 3', 'x.ndim = {}'.format(len(x.shape)))
    func = DeconvolutionND(ndim, stride, pad, outsize, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return func.apply(args)[0]


def deconvolution_1d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """1-d deconvolution: :func:`deconvolution_nd` on ``(n, c, w)`` inputs."""
    if len(x.shape) != 3:
        raise type_check.InvalidType('x.ndim == 3', 'x.ndim = {}'.format(len(x.shape)))
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_3d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """3-d deconvolution: :func:`deconvolution_nd` on ``(n, c, d, h, w)`` inputs."""
    if len(x.shape) != 5:
        raise type_check.InvalidType('x.ndim == 5', 'x.ndim = {}'.format(len(x.shape)))
    return deconvolution_nd(x, W, b, stride, pad, outsize, dilate, groups)

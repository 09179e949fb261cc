"""Two-dimensional convolution (``F.convolution_2d``).

The 2-d case of :class:`~dchain.functions.connection.convolution_nd.ConvolutionND` (one
im2col plus one GEMM per call on the CPU), with Chainer's 2-d argument names.
"""
from dchain.functions.connection.convolution_nd import ConvolutionND, ConvolutionNDGradW
from dchain.utils import type_check


class Convolution2DFunction(ConvolutionND):
    """2-d convolution node; ``stride``, ``pad``, ``dilate`` are ints or pairs."""

    def __init__(self, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
        super().__init__(2, stride, pad, cover_all, dilate, groups)


# The weight gradient node is dimension-agnostic; Chainer's 2-d name for it.
Convolution2DGradW = ConvolutionNDGradW


def convolution_2d(x, W, b=None, stride=1, pad=0, cover_all=False, *, dilate=1, groups=1):
    """Two-dimensional convolution.

    Args:
        x (Variable or array): input ``(n, c_in, h, w)``.
        W (Variable or array): weight ``(c_out, c_in / groups, kh, kw)``.
        b (Variable or array): bias ``(c_out,)`` or None.
        stride (int or pair): stride ``(sy, sx)``.
        pad (int or pair): zero padding ``(ph, pw)``.
        cover_all (bool): extend the output so that every input pixel lies in some window.
        dilate (int or pair): spacing between kernel taps.
        groups (int): number of channel groups (``c_in`` and ``c_out`` must divide by it).

    Returns:
        Variable: ``(n, c_out, out_h, out_w)`` with
        ``out_h = (h + 2 ph - ((kh - 1) dy + 1)) // sy + 1`` (``+ sy - 1`` in the numerator
        with ``cover_all``); see :func:`dchain.utils.conv.get_conv_outsize`.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    func = Convolution2DFunction(stride, pad, cover_all, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return func.apply(args)[0]

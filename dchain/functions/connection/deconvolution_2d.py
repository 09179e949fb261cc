"""Two-dimensional deconvolution, i.e. transposed convolution (``F.deconvolution_2d``)."""
from dchain.functions.connection.deconvolution_nd import DeconvolutionND
from dchain.utils import type_check


class Deconvolution2DFunction(DeconvolutionND):
    """2-d deconvolution node; ``stride``, ``pad``, ``outsize``, ``dilate`` are ints or pairs."""

    def __init__(self, stride=1, pad=0, outsize=None, dilate=1, groups=1):
        super().__init__(2, stride, pad, outsize, dilate, groups)


def deconvolution_2d(x, W, b=None, stride=1, pad=0, outsize=None, *, dilate=1, groups=1):
    """Two-dimensional deconvolution (the gradient of a convolution w.r.t. its input).

    Args:
        x (Variable or array): input ``(n, c_in, h, w)``.
        W (Variable or array): weight ``(c_in, c_out / groups, kh, kw)``.
        b (Variable or array): bias ``(c_out,)`` or None.
        stride, pad, dilate (int or pair): those of the matching convolution.
        outsize (pair or None): ``(out_h, out_w)``; None gives
            ``out_h = sy (h - 1) + (kh - 1) dy + 1 - 2 ph``.
        groups (int): number of channel groups.

    Returns:
        Variable: ``(n, c_out, out_h, out_w)``.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    func = Deconvolution2DFunction(stride, pad, outsize, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return func.apply(args)[0]

"""Two-dimensional unpooling (``F.unpooling_2d``, ``F.Unpooling2D``)."""
from dchain.functions.pooling.unpooling_nd import UnpoolingND
from dchain.utils import type_check


class Unpooling2D(UnpoolingND):
    """2-d unpooling node."""

    def __init__(self, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(2, ksize, stride, pad, outsize, cover_all)


def unpooling_2d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Spatial unpooling: each input pixel is copied over its ``kh x kw`` window.

    Args:
        x (Variable or array): input ``(n, c, h, w)``.
        ksize (int or pair): window size.
        stride (int, pair or None): window stride; None means ``ksize``.
        pad (int or pair): padding of the matching pooling (cropped from the output).
        outsize (pair or None): ``(out_h, out_w)``; None gives ``sy (h - 1) + kh - 2 ph``
            (``- sy + 1`` more with ``cover_all``).
        cover_all (bool): whether the matching pooling used ``cover_all``.

    Returns:
        Variable: ``(n, c, out_h, out_w)``; overlapping windows add up.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    return Unpooling2D(ksize, stride, pad, outsize, cover_all).apply((x,))[0]

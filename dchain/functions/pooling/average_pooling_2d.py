"""Two-dimensional average pooling (``F.average_pooling_2d``, ``F.AveragePooling2D``)."""
from dchain.functions.pooling.average_pooling_nd import AveragePoolingND
from dchain.utils import type_check


class AveragePooling2D(AveragePoolingND):
    """2-d average pooling node (padding counts as zeros)."""

    def __init__(self, ksize, stride=None, pad=0, cover_all=False):
        super().__init__(2, ksize, stride, pad, cover_all, 0)


def average_pooling_2d(x, ksize, stride=None, pad=0):
    """Spatial average pooling of ``(n, c, h, w)`` inputs.

    Every window is divided by ``kh * kw``, padding (zeros) included.

    Args:
        x (Variable or array): input ``(n, c, h, w)``.
        ksize (int or pair): window size.
        stride (int, pair or None): window stride; None means ``ksize``.
        pad (int or pair): zero padding.

    Returns:
        Variable: ``(n, c, (h + 2 ph - kh) // sy + 1, (w + 2 pw - kw) // sx + 1)``.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    return AveragePooling2D(ksize, stride, pad, False).apply((x,))[0]

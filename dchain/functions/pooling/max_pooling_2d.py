"""Two-dimensional max pooling (``F.max_pooling_2d``, ``F.MaxPooling2D``)."""
from dchain.functions.pooling.max_pooling_nd import MaxPoolingND, _apply
from dchain.utils import type_check


class MaxPooling2D(MaxPoolingND):
    """2-d max pooling node; ``F.MaxPooling2D(2, 2)`` can be called as a layer."""

    def __init__(self, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
        super().__init__(2, ksize, stride, pad, cover_all, return_indices)


def max_pooling_2d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """Spatial max pooling of ``(n, c, h, w)`` inputs.

    Args:
        x (Variable or array): input ``(n, c, h, w)``.
        ksize (int or pair): window size.
        stride (int, pair or None): window stride; None means ``ksize``.
        pad (int or pair): padding (padded inputs never win).
        cover_all (bool): extend the output so that every input pixel lies in some window:
            ``out_h = (h + 2 ph - kh + sy - 1) // sy + 1``; otherwise
            ``(h + 2 ph - kh) // sy + 1``.
        return_indices (bool): also return the argmax of every window (int32, the output's
            shape, indexing the flattened ``kh * kw`` window).

    Returns:
        Variable, or ``(Variable, array)`` with ``return_indices``.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    return _apply(MaxPooling2D(ksize, stride, pad, cover_all, return_indices), x)

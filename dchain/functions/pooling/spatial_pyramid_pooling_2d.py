"""Spatial pyramid pooling (``F.spatial_pyramid_pooling_2d``).

Level ``l`` pools the image into ``2^l x 2^l`` bins (windows of ``ceil(h / 2^l)``, padded
evenly); the bins of all levels are flattened and concatenated into a fixed-size feature
vector whatever the input's spatial size.
"""
import math

from dchain.utils import type_check


def spatial_pyramid_pooling_2d(x, pyramid_height, pooling='max'):
    """Spatial pyramid pooling.

    Args:
        x (Variable or array): input ``(n, c, h, w)``.
        pyramid_height (int): number of levels; level ``l`` has ``2^l`` bins per axis.
        pooling (str): ``'max'`` (the only pooling Chainer offers here).

    Returns:
        Variable: ``(n, c * sum_l 4^l, 1, 1)``.
    """
    from dchain.functions.array.concat import concat
    from dchain.functions.array.reshape import reshape
    from dchain.functions.pooling.max_pooling_2d import max_pooling_2d
    if pooling is None:
        pooling = 'max'
    if pooling != 'max':
        raise ValueError('pooling must be \'max\', got {!r}'.format(pooling))
    if not isinstance(pyramid_height, int) or pyramid_height < 1:
        raise ValueError('pyramid_height must be a positive int, got {!r}'.format(
            pyramid_height))
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    n, _, h, w = x.shape
    ys = []
    for level in range(pyramid_height):
        bins = 2 ** level
        kh, kw = math.ceil(h / bins), math.ceil(w / bins)
        pad = ((kh * bins - h) // 2, (kw * bins - w) // 2)
        y = max_pooling_2d(x, (kh, kw), None, pad, cover_all=True)
        ys.append(reshape(y, (n, -1, 1, 1)))
    return concat(ys, axis=1)

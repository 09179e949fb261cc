"""Depthwise two-dimensional convolution (``F.depthwise_convolution_2d``).

Each input channel is convolved with its own ``channel_multiplier`` filters: a grouped
convolution with one group per input channel, whose weight is ``W`` reordered so that output
channel ``c * multiplier + m`` uses ``W[m, c]`` (Chainer's ordering).
"""
from dchain.functions.connection.convolution_2d import convolution_2d
from dchain.utils import type_check


def depthwise_convolution_2d(x, W, b=None, stride=1, pad=0):
    """Depthwise convolution.

    Args:
        x (Variable or array): input ``(n, c, h, w)``.
        W (Variable or array): weight ``(channel_multiplier, c, kh, kw)``.
        b (Variable or array): bias ``(channel_multiplier * c,)`` or None.
        stride, pad (int or pair): stride and zero padding.

    Returns:
        Variable: ``(n, channel_multiplier * c, out_h, out_w)``.
    """
    from dchain.functions.array.reshape import reshape
    from dchain.functions.array.transpose import transpose
    if len(x.shape) != 4 or len(W.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4 and W.ndim == 4',
                                     'x.ndim = {}, W.ndim = {}'.format(len(x.shape),
                                                                       len(W.shape)))
    if x.shape[1] != W.shape[1]:
        raise type_check.InvalidType('x.shape[1] == W.shape[1]', '{} != {}'.format(
            x.shape[1], W.shape[1]))
    multiplier, c, kh, kw = W.shape
    w_grouped = reshape(transpose(W, (1, 0, 2, 3)), (c * multiplier, 1, kh, kw))
    return convolution_2d(x, w_grouped, b, stride, pad, groups=c)

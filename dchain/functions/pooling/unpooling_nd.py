"""N-dimensional unpooling (``F.unpooling_nd``, ``F.unpooling_1d``, ``F.unpooling_3d``).

Every input value is copied to each position of its window (overlapping windows add up): the
adjoint of a window sum, so the gradient is a window sum and vice versa.
"""
from dchain.functions.pooling import pooling_nd
from dchain.utils import conv_nd
from dchain.utils import type_check


class UnpoolingND(pooling_nd.PoolingND):
    """Unpooling over ``ndim`` spatial axes; ``outsize`` defaults to the size a pooling with
    the same window (and ``cover_all``) would have taken the input from."""

    def __init__(self, ndim, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        self.outsize = None if outsize is None else conv_nd.as_tuple(outsize, ndim,
                                                                     'outsize')

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == self.ndim + 2)
        if self.outsize is not None:
            for i in range(self.ndim):
                expected = conv_nd.get_conv_outsize(self.outsize[i], self.ksize[i],
                                                    self.stride[i], self.pad[i],
                                                    self.cover_all)
                type_check.expect(x_type.shape[2 + i] == expected)
        else:
            # The default output s (d - 1) + k - 2 p (- s + 1 with cover_all) is negative when
            # the padding crops more than the windows cover; numpy failed on it ("negative
            # dimensions are not allowed").
            for i in range(self.ndim):
                slack = self.stride[i] - 1 if self.cover_all else 0
                type_check.expect((x_type.shape[2 + i] - 1) * self.stride[i] + self.ksize[i] -
                                  slack >= 2 * self.pad[i])

    def forward(self, inputs):
        x, = inputs
        in_size = x.shape[2:]
        if self.outsize is None:
            out_size = tuple(conv_nd.get_deconv_outsize(in_size[i], self.ksize[i],
                                                        self.stride[i], self.pad[i],
                                                        self.cover_all)
                             for i in range(self.ndim))
        else:
            out_size = self.outsize
        # The windows of the pooling this undoes: from out_size down to in_size.
        g = pooling_nd.Geometry(self.ksize, self.stride, self.pad, out_size, in_size)
        self._scatter = pooling_nd.WindowScatter(g, 1.0)
        return self._scatter.forward(inputs)

    def backward(self, indexes, grad_outputs):
        return self._scatter.backward(indexes, grad_outputs)


def unpooling_nd(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """N-dimensional unpooling: the transpose of a window sum.

    Args:
        x (Variable or array): input ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of N ints): window size.
        stride (int, tuple or None): window stride; None means ``ksize``.
        pad (int or tuple): padding of the matching pooling (cropped from the output).
        outsize (tuple or None): output spatial size; None gives
            ``s (d - 1) + k - 2 p`` (``- s + 1`` more with ``cover_all``).
        cover_all (bool): whether the matching pooling used ``cover_all``.

    Returns:
        Variable: ``(n, c, *outsize)``.
    """
    ndim = len(x.shape) - 2
    if ndim < 1:
        raise type_check.InvalidType('x.ndim >= 3', 'x.ndim = {}'.format(len(x.shape)))
    return UnpoolingND(ndim, ksize, stride, pad, outsize, cover_all).apply((x,))[0]


def unpooling_1d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """1-d unpooling of ``(n, c, w)`` inputs (see :func:`unpooling_nd`)."""
    if len(x.shape) != 3:
        raise type_check.InvalidType('x.ndim == 3', 'x.ndim = {}'.format(len(x.shape)))
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)


def unpooling_3d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """3-d unpooling of ``(n, c, d, h, w)`` inputs (see :func:`unpooling_nd`)."""
    if len(x.shape) != 5:
        raise type_check.InvalidType('x.ndim == 5', 'x.ndim = {}'.format(len(x.shape)))
    return unpooling_nd(x, ksize, stride, pad, outsize, cover_all)

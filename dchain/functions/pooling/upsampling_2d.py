"""Upsampling with max-pooling indexes (``F.upsampling_2d``, ``F.Upsampling2D``).

The inverse of ``F.max_pooling_2d(..., return_indices=True)``: each value goes back to the
position its window's maximum came from, zeros elsewhere. Forward is max pooling's scatter,
backward its gather.
"""
import numpy

from dchain import backend
from dchain.functions.pooling import pooling_nd
from dchain.utils import conv_nd
from dchain.utils import type_check


class Upsampling2D(pooling_nd.PoolingND):
    """2-d upsampling node holding the ``indexes`` of a max pooling."""

    def __init__(self, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(2, ksize, stride, pad, cover_all)
        if indexes is None or not hasattr(indexes, 'shape'):
            raise TypeError('indexes must be an integer array (from max_pooling_2d with '
                            'return_indices=True)')
        if numpy.dtype(indexes.dtype).kind not in 'iu':
            raise TypeError('indexes must be an integer array, got dtype {}'.format(
                indexes.dtype))
        self.indexes = indexes
        self.outsize = None if outsize is None else conv_nd.as_tuple(outsize, 2, 'outsize')

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == 4,
                          x_type.shape == self.indexes.shape)
        if self.outsize is not None:
            for i in range(2):
                expected = conv_nd.get_conv_outsize(self.outsize[i], self.ksize[i],
                                                    self.stride[i], self.pad[i],
                                                    self.cover_all)
                type_check.expect(x_type.shape[2 + i] == expected)

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        in_size = x.shape[2:]
        if self.outsize is None:
            out_size = tuple(conv_nd.get_deconv_outsize(in_size[i], self.ksize[i],
                                                        self.stride[i], self.pad[i],
                                                        self.cover_all)
                             for i in range(2))
        else:
            out_size = self.outsize
        g = pooling_nd.Geometry(self.ksize, self.stride, self.pad, out_size, in_size)
        k_total = g.kernel_size
        flat = xp.asarray(conv_nd.to_batch_last(self.indexes)).reshape(-1)
        flat = flat.astype(pooling_nd._index_dtype(k_total))
        self._scatter = pooling_nd.MaxPoolingScatter(g, flat)
        return self._scatter.forward(inputs)

    def backward(self, indexes, grad_outputs):
        return self._scatter.backward(indexes, grad_outputs)


def upsampling_2d(x, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Put every value of ``x`` where its max-pooling window had its maximum.

    Args:
        x (Variable or array): input ``(n, c, h, w)`` (a max pooling's output shape).
        indexes (array): argmax of every window, as returned by
            ``F.max_pooling_2d(..., return_indices=True)``.
        ksize, stride, pad, cover_all: those of that max pooling.
        outsize (pair or None): the pooling's input size; None derives it as
            :func:`dchain.utils.conv.get_deconv_outsize` does.

    Returns:
        Variable: ``(n, c, out_h, out_w)``.
    """
    if len(x.shape) != 4:
        raise type_check.InvalidType('x.ndim == 4', 'x.ndim = {}'.format(len(x.shape)))
    return Upsampling2D(indexes, ksize, stride, pad, outsize, cover_all).apply((x,))[0]

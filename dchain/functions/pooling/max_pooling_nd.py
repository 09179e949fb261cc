"""N-dimensional max pooling (``F.max_pooling_nd``, ``F.max_pooling_1d``, ``F.max_pooling_3d``).

Forward builds kernel-first columns (padding reads as ``-inf``) and keeps a running maximum
over the ``prod(ksize)`` taps, recording the tap that won; backward scatters the gradient to
those taps (:class:`~dchain.functions.pooling.pooling_nd.MaxPoolingScatter`), whose own
backward gathers from them, so max pooling is differentiable twice.

Max pooling of a ReLU's output (conv, ReLU, pool: the common case) saves the ReLU's backward
pass over its full-size gradient. A window's maximum is the ReLU output at the window's
argmax, so ReLU's mask at every pixel that receives a gradient is just "the window's maximum
is positive": when nobody but the ReLU will see the gradient of its output
(:func:`dchain._backprop.input_grads_private`), the scatter applies that mask as it goes,
gated by the maxima, and the ReLU passes its gradient on unchanged.
"""
import weakref

import numpy

from dchain import _backprop
from dchain.functions.activation.relu import ReLU
from dchain.functions.pooling import pooling_nd
from dchain.utils import conv_nd
from dchain.utils import type_check


class MaxPoolingND(pooling_nd.PoolingND):
    """Max pooling over ``ndim`` spatial axes."""

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        self.return_indices = return_indices

    def forward(self, inputs):
        x, = inputs
        self._geometry = g = self.geometry(x.shape[2:])
        y, self.indexes = pooling_nd.max_with_indexes(g, x)
        self.retain_outputs((0,))   # for the sign of the maxima, should a ReLU come before
        return conv_nd.from_batch_last(y),

    def backward(self, indexes, grad_outputs):
        gate = None
        before = self.inputs[0].creator_node
        y = self.output_data[0]
        # (On the CPU, whose memory bandwidth the saved pass is about.)
        if type(before) is ReLU and isinstance(y, numpy.ndarray) and \
                _backprop.input_grads_private(self):
            gate = conv_nd.to_batch_last(y)
        gx = pooling_nd.MaxPoolingScatter(self._geometry, self.indexes, gate).apply(
            grad_outputs)
        if gate is not None:
            before.premasked_grad = weakref.ref(gx[0].array)
        return gx

    def user_indexes(self, y_shape):
        """The argmax of every window as an ``(n, c, *out)`` int32 array."""
        n = y_shape[0]
        idx = self.indexes.reshape(y_shape[1:] + (n,)).astype(numpy.int32)
        return conv_nd.from_batch_last(idx)


def _apply(func, x):
    y = func.apply((x,))[0]
    if func.return_indices:
        return y, func.user_indexes(y.shape)
    return y


def max_pooling_nd(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """N-dimensional max pooling.

    Args:
        x (Variable or array): input ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of N ints): window size.
        stride (int, tuple or None): window stride; None means ``ksize``.
        pad (int or tuple): padding (padded inputs never win).
        cover_all (bool): extend the output so that every input lies in some window.
        return_indices (bool): also return the argmax of every window (an int32 array of the
            output's shape, indexing the flattened window), as ``F.upsampling_2d`` takes.

    Returns:
        Variable, or ``(Variable, array)`` with ``return_indices``.
    """
    ndim = len(x.shape) - 2
    if ndim < 1:
        raise type_check.InvalidType('x.ndim >= 3', 'x.ndim = {}'.format(len(x.shape)))
    return _apply(MaxPoolingND(ndim, ksize, stride, pad, cover_all, return_indices), x)


def max_pooling_1d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """1-d max pooling of ``(n, c, w)`` inputs (see :func:`max_pooling_nd`)."""
    if len(x.shape) != 3:
        raise type_check.InvalidType('x.ndim == 3', 'x.ndim = {}'.format(len(x.shape)))
    return max_pooling_nd(x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_3d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """3-d max pooling of ``(n, c, d, h, w)`` inputs (see :func:`max_pooling_nd`)."""
    if len(x.shape) != 5:
        raise type_check.InvalidType('x.ndim == 5', 'x.ndim = {}'.format(len(x.shape)))
    return max_pooling_nd(x, ksize, stride, pad, cover_all, return_indices)

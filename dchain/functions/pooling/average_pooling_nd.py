"""N-dimensional average pooling (``F.average_pooling_nd``, ``F.average_pooling_1d``/``3d``).

Window sums are accumulated tap by tap (no column buffer); the gradient scatters ``gy``
back over the windows. Both are linear nodes that are each other's backward.
"""
from dchain import backend
from dchain.functions.pooling import pooling_nd
from dchain.utils import type_check


class AveragePoolingND(pooling_nd.PoolingND):
    """Average pooling over ``ndim`` spatial axes.

    ``pad_value=0`` divides every window by its full size (padding counts as zeros);
    ``pad_value=None`` divides by the number of inputs the window actually covers.
    """

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=False, pad_value=0):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        if pad_value is not None and pad_value != 0:
            raise ValueError('pad_value must be 0 or None, got {!r}'.format(pad_value))
        self.pad_value = pad_value

    def forward(self, inputs):
        x, = inputs
        g = self.geometry(x.shape[2:])
        if self.pad_value is None:
            coeff = pooling_nd.count_coefficient(g, x.dtype, backend.get_array_module(x))
        else:
            coeff = 1.0 / g.kernel_size
        self._window = pooling_nd.WindowSum(g, coeff)
        return self._window.forward(inputs)

    def backward(self, indexes, grad_outputs):
        return self._window.backward(indexes, grad_outputs)


def average_pooling_nd(x, ksize, stride=None, pad=0, pad_value=0):
    """N-dimensional average pooling.

    Args:
        x (Variable or array): input ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of N ints): window size.
        stride (int, tuple or None): window stride; None means ``ksize``.
        pad (int or tuple): zero padding.
        pad_value (0 or None): 0 averages over the whole window, padding included; None
            averages over the non-padding part only.

    Returns:
        Variable: ``(n, c, o_1, ..., o_N)``, ``o = (d + 2 p - k) // s + 1``.
    """
    ndim = len(x.shape) - 2
    if ndim < 1:
        raise type_check.InvalidType('x.ndim >= 3', 'x.ndim = {}'.format(len(x.shape)))
    return AveragePoolingND(ndim, ksize, stride, pad, False, pad_value).apply((x,))[0]


def average_pooling_1d(x, ksize, stride=None, pad=0, pad_value=0):
    """1-d average pooling of ``(n, c, w)`` inputs (see :func:`average_pooling_nd`)."""
    if len(x.shape) != 3:
        raise type_check.InvalidType('x.ndim == 3', 'x.ndim = {}'.format(len(x.shape)))
    return average_pooling_nd(x, ksize, stride, pad, pad_value)


def average_pooling_3d(x, ksize, stride=None, pad=0, pad_value=0):
    """3-d average pooling of ``(n, c, d, h, w)`` inputs (see :func:`average_pooling_nd`)."""
    if len(x.shape) != 5:
        raise type_check.InvalidType('x.ndim == 5', 'x.ndim = {}'.format(len(x.shape)))
    return average_pooling_nd(x, ksize, stride, pad, pad_value)

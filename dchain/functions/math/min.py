"""Minimum of elements over given axes (``F.min``)."""
from dchain.functions.math.max import Max


class Min(Max):
    """Minimum over ``axis``; the gradient flows to every element equal to the minimum."""

    _name = 'F.min'

    def _reduce(self, x):
        return x.min(axis=self.axis, keepdims=self.keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001 (Chainer's name)
    """Minimum of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to reduce; None reduces all.
        keepdims (bool): keep the reduced axes with length 1.
    """
    return Min(axis, keepdims).apply((x,))[0]

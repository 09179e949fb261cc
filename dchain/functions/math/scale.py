"""Multiply by a scale broadcast along axes of the input (``F.scale``)."""
from dchain.functions.math.bias import expand_param


def scale(x, y, axis=1):
    """Elementwise product of ``x`` and ``y`` broadcast along the axes of ``x`` from ``axis``.

    ``y.shape`` must equal ``x.shape[axis:axis + y.ndim]``: e.g. a per-channel scale of shape
    ``(C,)`` on images ``(N, C, H, W)`` with ``axis=1``.

    Args:
        x (Variable or array): the input.
        y (Variable or array): the scale, of the same dtype.
        axis (int): the first axis of ``x`` that ``y`` spans.
    """
    x, y = expand_param('F.scale', x, y, axis)
    return x * y

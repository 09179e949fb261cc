"""Resize images by bilinear or nearest-neighbour sampling (``F.resize_images``).

Sampling is separable: rows are interpolated first, then columns, each by gathering two
source lines and blending them. The gradient scatters back the same way (``bincount``), so
both directions cost O(output size), independent of the scale factor.
"""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check

_MODES = ('bilinear', 'nearest')


def _sampling(out_size, in_size, mode, align_corners):
    """Source indices (lower, upper) and the upper weight of each output line (host arrays)."""
    if mode == 'nearest':
        pos = numpy.minimum(numpy.floor(numpy.arange(out_size) * (in_size / out_size)),
                            in_size - 1)
        lower = pos.astype(numpy.intp)
        return lower, lower, None
    if align_corners:
        pos = numpy.linspace(0, in_size - 1, num=out_size)
    else:
        pos = numpy.maximum((numpy.arange(out_size) + 0.5) * (in_size / out_size) - 0.5, 0)
    lower = numpy.floor(pos)
    weight = pos - lower
    lower = lower.astype(numpy.intp)
    upper = numpy.minimum(lower + 1, in_size - 1)
    return lower, upper, weight


def _resample_last(x, lower, upper, weight):
    """Interpolate along the last axis."""
    if weight is None:
        return x[..., lower]
    return x[..., lower] * (1 - weight) + x[..., upper] * weight


def _scatter_last(g, lower, upper, weight, size):
    """Adjoint of :func:`_resample_last`: (..., out) -> (..., size)."""
    xp = utils.get_xp(g)
    lead = g.shape[:-1]
    rows = utils.size_of_shape(lead)
    g2 = g.reshape(rows, g.shape[-1])
    base = xp.arange(rows)[:, None] * size
    if weight is None:
        index = (base + lower).ravel()
        values = g2.ravel()
    else:
        index = xp.concatenate([(base + lower).ravel(), (base + upper).ravel()])
        values = xp.concatenate([(g2 * (1 - weight)).ravel(), (g2 * weight).ravel()])
    out = xp.bincount(index, weights=values, minlength=rows * size)
    return out.astype(g.dtype, copy=False).reshape(lead + (size,))


class _Plan:
    """Sampling positions for one (input size, output size, mode) triple."""

    def __init__(self, in_hw, out_hw, mode, align_corners, xp, dtype):
        (h, w), (out_h, out_w) = in_hw, out_hw
        self.in_hw = in_hw
        self.rows = [None if a is None else xp.asarray(a if a.dtype == numpy.intp else
                                                       a.astype(dtype))
                     for a in _sampling(out_h, h, mode, align_corners)]
        self.cols = [None if a is None else xp.asarray(a if a.dtype == numpy.intp else
                                                       a.astype(dtype))
                     for a in _sampling(out_w, w, mode, align_corners)]


class ResizeImages(function_node.FunctionNode):
    """Resize ``(n, c, h, w)`` images to ``output_shape``."""

    def __init__(self, output_shape, mode='bilinear', align_corners=True):
        if len(output_shape) != 2:
            raise ValueError('resize_images: output_shape must be (h_O, w_O), got {!r}'.format(
                output_shape))
        self.out_hw = tuple(int(s) for s in output_shape)
        if min(self.out_hw) < 1:
            raise ValueError('resize_images: output_shape must be positive, got {!r}'.format(
                output_shape))
        if mode not in _MODES:
            raise ValueError('resize_images: mode must be one of {}, got {!r}'.format(
                _MODES, mode))
        self.mode = mode
        self.align_corners = bool(align_corners)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f',
                          in_types[0].ndim == 4)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self._in_hw = x.shape[2:]
        plan = _Plan(self._in_hw, self.out_hw, self.mode, self.align_corners, xp, x.dtype)
        v0, v1, vw = plan.rows
        u0, u1, uw = plan.cols
        # Rows first (as the last axis after a swap), then columns.
        t = _resample_last(x.swapaxes(2, 3), v0, v1, vw).swapaxes(2, 3)
        y = _resample_last(t, u0, u1, uw)
        return xp.ascontiguousarray(y),

    def backward(self, indexes, grad_outputs):
        return ResizeImagesGrad(self._in_hw, self.out_hw, self.mode,
                                self.align_corners).apply(grad_outputs)


class ResizeImagesGrad(function_node.FunctionNode):
    """Adjoint of :class:`ResizeImages`."""

    def __init__(self, in_hw, out_hw, mode, align_corners):
        self.in_hw = in_hw
        self.out_hw = out_hw
        self.mode = mode
        self.align_corners = align_corners

    def forward(self, inputs):
        gy, = inputs
        xp = utils.get_xp(gy)
        plan = _Plan(self.in_hw, self.out_hw, self.mode, self.align_corners, xp, gy.dtype)
        v0, v1, vw = plan.rows
        u0, u1, uw = plan.cols
        h, w = self.in_hw
        gt = _scatter_last(gy, u0, u1, uw, w)
        gx = _scatter_last(gt.swapaxes(2, 3), v0, v1, vw, h).swapaxes(2, 3)
        return xp.ascontiguousarray(gx),

    def backward(self, indexes, grad_outputs):
        return ResizeImages(self.out_hw, self.mode, self.align_corners).apply(grad_outputs)


def resize_images(x, output_shape, *, mode='bilinear', align_corners=True):
    """Resize images to ``output_shape``.

    Args:
        x (Variable or array): floating input of shape ``(n, c, h, w)``.
        output_shape (tuple of int): ``(h_O, w_O)`` (height first, unlike OpenCV).
        mode (str): ``'bilinear'`` or ``'nearest'``.
        align_corners (bool): bilinear only. True maps the corner pixels of the input onto
            those of the output; False samples at pixel centres as OpenCV does.

    Returns:
        Variable: of shape ``(n, c, h_O, w_O)``.
    """
    return ResizeImages(output_shape, mode, align_corners).apply((x,))[0]

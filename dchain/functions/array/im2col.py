"""Extract convolution patches into the channel axis (``F.im2col``).

The patch array is filled with one strided slice copy per kernel offset (``kh * kw`` copies of
the whole batch), never a loop over pixels; its adjoint adds the slices back the same way.
"""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _pair(value, name):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError('im2col: {} must be an int or a pair, got {!r}'.format(name, value))
        pair = tuple(int(v) for v in value)
    else:
        pair = (int(value), int(value))
    return pair


def _out_size(size, k, s, p, d, cover_all):
    extent = (k - 1) * d + 1
    if cover_all:
        return (size + 2 * p - extent + s - 1) // s + 1
    return (size + 2 * p - extent) // s + 1


class _Geometry:
    """Kernel, stride, pad, dilation and cover_all of one im2col."""

    def __init__(self, ksize, stride, pad, cover_all, dilate):
        self.kh, self.kw = _pair(ksize, 'ksize')
        self.sy, self.sx = _pair(stride, 'stride')
        self.ph, self.pw = _pair(pad, 'pad')
        self.dy, self.dx = _pair(dilate, 'dilate')
        self.cover_all = bool(cover_all)
        if min(self.kh, self.kw) < 1:
            raise ValueError('im2col: ksize must be positive, got {!r}'.format(ksize))
        if min(self.sy, self.sx) < 1:
            raise ValueError('im2col: stride must be positive, got {!r}'.format(stride))
        if min(self.ph, self.pw) < 0:
            raise ValueError('im2col: pad must be non-negative, got {!r}'.format(pad))
        if min(self.dy, self.dx) < 1:
            raise ValueError('im2col: dilate must be positive, got {!r}'.format(dilate))

    def out_shape(self, h, w):
        out_h = _out_size(h, self.kh, self.sy, self.ph, self.dy, self.cover_all)
        out_w = _out_size(w, self.kw, self.sx, self.pw, self.dx, self.cover_all)
        if out_h <= 0 or out_w <= 0:
            raise ValueError('im2col: the image ({}, {}) is too small for ksize ({}, {}) with '
                             'pad ({}, {}) and dilate ({}, {})'.format(
                                 h, w, self.kh, self.kw, self.ph, self.pw, self.dy, self.dx))
        return out_h, out_w

    def padded_shape(self, h, w, out_h, out_w):
        """Padded image size: top/left ``pad``, bottom/right as far as the last window."""
        ph_end = max((out_h - 1) * self.sy + (self.kh - 1) * self.dy + 1 - h - self.ph, 0)
        pw_end = max((out_w - 1) * self.sx + (self.kw - 1) * self.dx + 1 - w - self.pw, 0)
        return h + self.ph + ph_end, w + self.pw + pw_end

    def windows(self, out_h, out_w):
        """(i, j, row slice, column slice) of every kernel offset in the padded image."""
        for i in range(self.kh):
            y0 = i * self.dy
            rows = slice(y0, y0 + self.sy * (out_h - 1) + 1, self.sy)
            for j in range(self.kw):
                x0 = j * self.dx
                yield i, j, rows, slice(x0, x0 + self.sx * (out_w - 1) + 1, self.sx)


class Im2Col(function_node.FunctionNode):
    """``(n, c, h, w)`` to ``(n, c * kh * kw, out_h, out_w)`` patches."""

    def __init__(self, ksize, stride=1, pad=0, cover_all=False, dilate=1):
        self.geometry = _Geometry(ksize, stride, pad, cover_all, dilate)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f',
                          in_types[0].ndim == 4)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        g = self.geometry
        n, c, h, w = x.shape
        out_h, out_w = g.out_shape(h, w)
        hp, wp = g.padded_shape(h, w, out_h, out_w)
        self._x_shape = x.shape
        if (hp, wp) != (h, w) or g.ph or g.pw:
            img = xp.zeros((n, c, hp, wp), x.dtype)
            img[:, :, g.ph:g.ph + h, g.pw:g.pw + w] = x
        else:
            img = x
        col = xp.empty((n, c, g.kh, g.kw, out_h, out_w), x.dtype)
        for i, j, rows, cols in g.windows(out_h, out_w):
            col[:, :, i, j] = img[:, :, rows, cols]
        return col.reshape(n, c * g.kh * g.kw, out_h, out_w),

    def backward(self, indexes, grad_outputs):
        return Im2ColGrad(self.geometry, self._x_shape).apply(grad_outputs)


class Im2ColGrad(function_node.FunctionNode):
    """Adjoint of :class:`Im2Col` (col2im): add every patch back onto the image."""

    def __init__(self, geometry, x_shape):
        self.geometry = geometry
        self.x_shape = x_shape

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('gy',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f',
                          in_types[0].ndim == 4)

    def forward(self, inputs):
        gy, = inputs
        xp = utils.get_xp(gy)
        g = self.geometry
        n, c, h, w = self.x_shape
        out_h, out_w = gy.shape[2:]
        hp, wp = g.padded_shape(h, w, out_h, out_w)
        col = gy.reshape(n, c, g.kh, g.kw, out_h, out_w)
        img = xp.zeros((n, c, hp, wp), gy.dtype)
        for i, j, rows, cols in g.windows(out_h, out_w):
            img[:, :, rows, cols] += col[:, :, i, j]
        return img[:, :, g.ph:g.ph + h, g.pw:g.pw + w],

    def backward(self, indexes, grad_outputs):
        node = Im2Col.__new__(Im2Col)
        node.geometry = self.geometry
        return node.apply(grad_outputs)


def im2col(x, ksize, stride=1, pad=0, cover_all=False, dilate=1):
    """Rearrange the patches of an image into the channel axis.

    Patches start at ``-pad`` and step by ``stride``; with ``dilate`` > 1 the kernel taps are
    ``dilate`` pixels apart. The output spatial size is
    ``(h + 2 * p - (k - 1) * d - 1) // s + 1`` (plus ``s - 1`` in the numerator when
    ``cover_all``, so that every pixel falls in some patch).

    Args:
        x (Variable or array): floating input of shape ``(n, c, h, w)``.
        ksize (int or pair of int): kernel size.
        stride (int or pair of int): stride.
        pad (int or pair of int): zero padding on each side.
        cover_all (bool): extend the output so that all pixels are covered.
        dilate (int or pair of int): dilation of the kernel.

    Returns:
        Variable: of shape ``(n, c * kh * kw, out_h, out_w)``; channel ``(ci * kh + i) * kw +
        j`` holds the tap ``(i, j)`` of input channel ``ci``.
    """
    return Im2Col(ksize, stride, pad, cover_all, dilate).apply((x,))[0]

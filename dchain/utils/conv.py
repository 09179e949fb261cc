"""Two-dimensional convolution helpers: output-size formulas and im2col/col2im (CPU).

Thin 2-d front ends of :mod:`dchain.utils.conv_nd`, with Chainer's argument order.
"""
from dchain.utils import conv_nd
from dchain.utils.conv_nd import get_conv_outsize, get_deconv_outsize  # noqa: F401


def im2col_cpu(img, kh, kw, sy, sx, ph, pw, pval=0, cover_all=False, dy=1, dx=1,
               out_h=None, out_w=None):
    """Patches of ``img`` ``(n, c, h, w)`` as an array of shape ``(n, c, kh, kw, out_h, out_w)``.

    ``out_h``/``out_w`` override the sizes computed from the other arguments.
    """
    h, w = img.shape[2:]
    if out_h is None:
        out_h = get_conv_outsize(h, kh, sy, ph, cover_all, dy)
    if out_w is None:
        out_w = get_conv_outsize(w, kw, sx, pw, cover_all, dx)
    if out_h <= 0 or out_w <= 0:
        raise ValueError('im2col: output size {}x{} is not positive'.format(out_h, out_w))
    col = conv_nd.im2col_batch_last(conv_nd.to_batch_last(img), (kh, kw), (sy, sx),
                                    (ph, pw), (dy, dx), (out_h, out_w), pval)
    return conv_nd.from_batch_last(col)


def col2im_cpu(col, sy, sx, ph, pw, h, w, dy=1, dx=1):
    """Adjoint of :func:`im2col_cpu`: sum ``(n, c, kh, kw, out_h, out_w)`` into ``(n, c, h, w)``."""
    gx = conv_nd.col2im_batch_last(conv_nd.to_batch_last(col), (h, w), (sy, sx), (ph, pw),
                                   (dy, dx))
    return conv_nd.from_batch_last(gx)

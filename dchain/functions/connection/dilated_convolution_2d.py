"""Dilated (atrous) two-dimensional convolution (``F.dilated_convolution_2d``)."""
from dchain.functions.connection.convolution_2d import convolution_2d


def dilated_convolution_2d(x, W, b=None, stride=1, pad=0, dilate=1, cover_all=False):
    """Convolution whose kernel taps are ``dilate`` pixels apart.

    Args:
        x (Variable or array): input ``(n, c_in, h, w)``.
        W (Variable or array): weight ``(c_out, c_in, kh, kw)``.
        b (Variable or array): bias ``(c_out,)`` or None.
        stride, pad, dilate (int or pair): stride, zero padding and tap spacing.
        cover_all (bool): extend the output so that every input pixel lies in some window.

    Returns:
        Variable: ``(n, c_out, out_h, out_w)`` with an effective kernel of
        ``(kh - 1) dy + 1`` by ``(kw - 1) dx + 1``.
    """
    return convolution_2d(x, W, b, stride, pad, cover_all, dilate=dilate)

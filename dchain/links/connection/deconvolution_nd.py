"""N-dimensional deconvolution links (``L.DeconvolutionND``, ``L.Deconvolution1D``/``3D``)."""
from dchain.functions.connection.deconvolution_nd import deconvolution_nd
from dchain.links.connection.convolution_nd import ConvolutionLinkBase, shortcut


class _DeconvolutionBase(ConvolutionLinkBase):
    """Deconvolution weight ``(in_channels, out_channels / groups, *ksize)``."""

    def __init__(self, ndim, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                 initialW, initial_bias, dilate, groups):
        in_channels, out_channels, ksize = shortcut(in_channels, out_channels, ksize, groups)
        self.stride = stride
        self.pad = pad
        self.outsize = outsize
        self.dilate = dilate
        super().__init__(ndim, in_channels, out_channels, ksize, nobias, initialW,
                         initial_bias, out_channels, groups)

    def _w_shape(self, in_channels):
        self._check_in_channels(in_channels)
        return (in_channels, self.out_channels // self.groups) + self.ksize

    def forward(self, x):
        """Apply the deconvolution to ``x`` ``(n, in_channels, *size)``."""
        self._ensure_initialized(x)
        return deconvolution_nd(x, self.W, self.b, self.stride, self.pad, self.outsize,
                                self.dilate, self.groups)


class DeconvolutionND(_DeconvolutionBase):
    """N-dimensional deconvolution (transposed convolution) layer.

    Args:
        ndim (int): number of spatial axes.
        in_channels (int or None): input channels; None infers it from the first input.
        out_channels (int): output channels.
        ksize (int or tuple): kernel size (omitted: the arguments shift, in_channels=None).
        stride, pad, dilate (int or tuple): those of the matching convolution.
        nobias (bool): no bias.
        outsize (tuple or None): output spatial size.
        initialW, initial_bias: initializers (defaults LeCunNormal, 0).
        groups (int): number of channel groups.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None, dilate=1,
                 groups=1):
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)


class Deconvolution1D(DeconvolutionND):
    """1-d deconvolution layer (:class:`DeconvolutionND` with ``ndim=1``)."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 outsize=None, initialW=None, initial_bias=None, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)


class Deconvolution3D(DeconvolutionND):
    """3-d deconvolution layer (:class:`DeconvolutionND` with ``ndim=3``)."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 outsize=None, initialW=None, initial_bias=None, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)

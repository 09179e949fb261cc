"""Dilated two-dimensional convolution layer (``L.DilatedConvolution2D``)."""
from dchain.functions.connection.dilated_convolution_2d import dilated_convolution_2d
from dchain.links.connection.convolution_nd import _ConvolutionBase


class DilatedConvolution2D(_ConvolutionBase):
    """2-d convolution whose kernel taps are ``dilate`` pixels apart.

    Args:
        in_channels (int or None): input channels (None: inferred from the first input;
            ``DilatedConvolution2D(out_channels, ksize)`` means that too).
        out_channels (int): output channels.
        ksize, stride, pad, dilate (int or pair): kernel geometry.
        nobias (bool): no bias.
        initialW, initial_bias: initializers (defaults LeCunNormal, 0).
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, dilate=1,
                 nobias=False, initialW=None, initial_bias=None):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, False, dilate, 1)

    def forward(self, x):
        self._ensure_initialized(x)
        return dilated_convolution_2d(x, self.W, self.b, self.stride, self.pad, self.dilate)

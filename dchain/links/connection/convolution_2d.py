"""Two-dimensional convolution layer (``L.Convolution2D``)."""
from dchain.functions.connection.convolution_2d import convolution_2d
from dchain.links.connection.convolution_nd import _ConvolutionBase


class Convolution2D(_ConvolutionBase):
    """2-d convolution layer with weight ``W`` ``(out_channels, in_channels / groups, kh, kw)``.

    Args:
        in_channels (int or None): input channels; None infers it from the first input.
            ``Convolution2D(out_channels, ksize)`` (ksize omitted) means
            ``in_channels=None``.
        out_channels (int): output channels.
        ksize (int or pair): kernel size.
        stride, pad (int or pair): stride and zero padding.
        nobias (bool): no bias.
        initialW, initial_bias: initializers, scalars or arrays (defaults LeCunNormal, 0).
        dilate (int or pair): spacing between kernel taps.
        groups (int): number of channel groups.
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None, *, dilate=1, groups=1):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, False, dilate, groups)

    def forward(self, x):
        """Apply the convolution to ``x`` ``(n, in_channels, h, w)``."""
        self._ensure_initialized(x)
        return convolution_2d(x, self.W, self.b, self.stride, self.pad, dilate=self.dilate,
                              groups=self.groups)

"""Depthwise two-dimensional convolution layer (``L.DepthwiseConvolution2D``)."""
from dchain.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d
from dchain.links.connection.convolution_nd import ConvolutionLinkBase


class DepthwiseConvolution2D(ConvolutionLinkBase):
    """Each input channel convolved with its own ``channel_multiplier`` filters.

    Args:
        in_channels (int or None): input channels; None infers it from the first input.
        channel_multiplier (int): filters per input channel.
        ksize, stride, pad (int or pair): kernel geometry.
        nobias (bool): no bias.
        initialW, initial_bias: initializers (defaults LeCunNormal, 0).

    Attributes:
        W: ``(channel_multiplier, in_channels, kh, kw)``.
        b: ``(channel_multiplier * in_channels,)`` (created with W when in_channels is None).
    """

    def __init__(self, in_channels, channel_multiplier, ksize, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None):
        self.channel_multiplier = channel_multiplier
        self.stride = stride
        self.pad = pad
        self._nobias = nobias
        self._initial_bias = initial_bias
        bias_size = None if in_channels is None else channel_multiplier * in_channels
        super().__init__(2, in_channels, channel_multiplier, ksize, nobias, initialW,
                         initial_bias, bias_size)

    def _w_shape(self, in_channels):
        return (self.channel_multiplier, in_channels) + self.ksize

    def _initialize_params(self, in_channels):
        super()._initialize_params(in_channels)
        b = getattr(self, 'b', None)
        if b is not None and b.array is None:
            b.initialize((self.channel_multiplier * in_channels,))

    def forward(self, x):
        self._ensure_initialized(x)
        return depthwise_convolution_2d(x, self.W, self.b, self.stride, self.pad)

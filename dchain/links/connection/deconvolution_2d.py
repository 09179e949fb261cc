"""Two-dimensional deconvolution layer (``L.Deconvolution2D``)."""
from dchain.functions.connection.deconvolution_2d import deconvolution_2d
from dchain.links.connection.deconvolution_nd import _DeconvolutionBase


class Deconvolution2D(_DeconvolutionBase):
    """2-d deconvolution layer with weight ``W`` ``(in_channels, out_channels / groups, kh, kw)``.

    Args:
        in_channels (int or None): input channels; None infers it from the first input.
            ``Deconvolution2D(out_channels, ksize)`` means ``in_channels=None``.
        out_channels (int): output channels.
        ksize, stride, pad (int or pair): those of the matching convolution.
        nobias (bool): no bias.
        outsize (pair or None): output size (None: the smallest consistent one).
        initialW, initial_bias: initializers (defaults LeCunNormal, 0).
        dilate (int or pair): spacing between kernel taps.
        groups (int): number of channel groups.
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 outsize=None, initialW=None, initial_bias=None, *, dilate=1, groups=1):
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)

    def forward(self, x):
        self._ensure_initialized(x)
        return deconvolution_2d(x, self.W, self.b, self.stride, self.pad, self.outsize,
                                dilate=self.dilate, groups=self.groups)

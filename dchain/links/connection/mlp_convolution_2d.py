"""Network-in-network convolution block (``L.MLPConvolution2D``)."""
from dchain import link
from dchain.links.connection.convolution_2d import Convolution2D


def _relu(x):
    from dchain.functions.activation.relu import relu
    return relu(x)


class MLPConvolution2D(link.ChainList):
    """A ``ksize`` convolution followed by 1x1 convolutions, with an activation between.

    Args:
        in_channels (int or None): input channels (None: inferred from the first input;
            ``MLPConvolution2D(out_channels, ksize)`` means that too).
        out_channels (tuple of ints): output channels of each convolution.
        ksize, stride, pad (int or pair): geometry of the first convolution.
        activation (callable): applied after every convolution but the last (default relu).
        conv_init, bias_init: initializers of every ``W`` and ``b``.
        **kwargs: ``dilate`` and ``groups`` of the first convolution.
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 activation=_relu, conv_init=None, bias_init=None, **kwargs):
        if ksize is None:
            in_channels, out_channels, ksize = None, in_channels, out_channels
        if not out_channels:
            raise ValueError('out_channels must be a non-empty sequence of ints')
        unknown = set(kwargs) - {'dilate', 'groups'}
        if unknown:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(
                unknown))))
        convs = [Convolution2D(in_channels, out_channels[0], ksize, stride, pad,
                               initialW=conv_init, initial_bias=bias_init, **kwargs)]
        for n_in, n_out in zip(out_channels, out_channels[1:]):
            convs.append(Convolution2D(n_in, n_out, 1, initialW=conv_init,
                                       initial_bias=bias_init))
        super().__init__(*convs)
        self.activation = activation

    def forward(self, x):
        """Apply the convolutions in turn, with the activation between them."""
        f = self.activation
        for conv in self[:-1]:
            x = f(conv(x))
        return self[-1](x)

"""N-dimensional convolution links (``L.ConvolutionND``, ``L.Convolution1D``/``3D``) and the
base class shared by all convolution-like links (parameters, lazy initialization).
"""
from dchain import initializers
from dchain import link
from dchain import variable
from dchain.functions.connection.convolution_nd import convolution_nd
from dchain.utils import conv_nd


class ConvolutionLinkBase(link.Link):
    """Owns ``W`` (lazily shaped when ``in_channels`` is None) and an optional bias ``b``.

    Subclasses give the weight shape (:meth:`_w_shape`) and the bias size.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize, nobias, initialW,
                 initial_bias, bias_size, groups=1):
        super().__init__()
        self.ndim = ndim
        self.ksize = conv_nd.as_tuple(ksize, ndim, 'ksize')
        self.in_channels = in_channels
        self.out_channels = out_channels
        if not isinstance(groups, int) or groups < 1:
            raise ValueError('groups must be a positive int, got {!r}'.format(groups))
        self.groups = groups
        if out_channels is None or out_channels < 1:
            raise ValueError('out_channels must be a positive int, got {!r}'.format(
                out_channels))
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_params(in_channels)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias),
                                            bias_size)

    def _check_in_channels(self, in_channels):
        if in_channels % self.groups:
            raise ValueError('in_channels ({}) must be a multiple of groups ({})'.format(
                in_channels, self.groups))

    def _initialize_params(self, in_channels):
        self.in_channels = in_channels
        self.W.initialize(self._w_shape(in_channels))

    def _ensure_initialized(self, x):
        if self.W.array is None:
            self._initialize_params(x.shape[1])

    def printable_specs(self):
        yield 'in_channels', self.in_channels
        yield 'out_channels', self.out_channels
        yield 'ksize', self.ksize
        yield 'nobias', self.b is None


def shortcut(in_channels, out_channels, ksize, groups=1):
    """Chainer's ``Conv(out_channels, ksize)`` form: shift the arguments when ksize is None.

    Also checks what every convolution-like link needs: a kernel size, and output channels
    that split into ``groups``.
    """
    if ksize is None:
        in_channels, out_channels, ksize = None, in_channels, out_channels
    if ksize is None:
        raise TypeError('ksize is required')
    if out_channels is not None and out_channels % groups:
        raise ValueError('out_channels ({}) must be a multiple of groups ({})'.format(
            out_channels, groups))
    return in_channels, out_channels, ksize


class _ConvolutionBase(ConvolutionLinkBase):
    """Convolution weight ``(out_channels, in_channels / groups, *ksize)``."""

    def __init__(self, ndim, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                 initial_bias, cover_all, dilate, groups):
        in_channels, out_channels, ksize = shortcut(in_channels, out_channels, ksize, groups)
        self.stride = stride
        self.pad = pad
        self.cover_all = cover_all
        self.dilate = dilate
        super().__init__(ndim, in_channels, out_channels, ksize, nobias, initialW,
                         initial_bias, out_channels, groups)

    def _w_shape(self, in_channels):
        self._check_in_channels(in_channels)
        return (self.out_channels, in_channels // self.groups) + self.ksize

    def forward(self, x):
        """Apply the convolution to ``x`` ``(n, in_channels, *size)``."""
        self._ensure_initialized(x)
        return convolution_nd(x, self.W, self.b, self.stride, self.pad, self.cover_all,
                              self.dilate, self.groups)


class ConvolutionND(_ConvolutionBase):
    """N-dimensional convolution layer.

    Args:
        ndim (int): number of spatial axes.
        in_channels (int or None): input channels; None infers it from the first input.
        out_channels (int): output channels.
        ksize (int or tuple): kernel size. ``ConvolutionND(ndim, out_channels, ksize)``
            (ksize omitted) means ``in_channels=None``.
        stride, pad, dilate (int or tuple): as in :func:`dchain.functions.convolution_nd`.
        nobias (bool): no bias.
        initialW, initial_bias: initializers (defaults LeCunNormal and 0).
        cover_all (bool): see :func:`dchain.functions.convolution_nd`.
        groups (int): number of channel groups.
    """

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, cover_all=False, dilate=1,
                 groups=1):
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad, nobias,
                         initialW, initial_bias, cover_all, dilate, groups)


class Convolution1D(ConvolutionND):
    """1-d convolution layer (:class:`ConvolutionND` with ``ndim=1``)."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None, cover_all=False, dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)


class Convolution3D(ConvolutionND):
    """3-d convolution layer (:class:`ConvolutionND` with ``ndim=3``)."""

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0, nobias=False,
                 initialW=None, initial_bias=None, cover_all=False, dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)

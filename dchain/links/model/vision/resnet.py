"""Residual networks of He et al. (``L.ResNet50Layers``, ``L.ResNet101Layers``,
``L.ResNet152Layers``) and their bottleneck building blocks."""
import numpy

from dchain import initializers, link
from dchain.functions.activation.relu import relu
from dchain.functions.activation.softmax import softmax
from dchain.functions.pooling.max_pooling_2d import max_pooling_2d
from dchain.links.connection.convolution_2d import Convolution2D
from dchain.links.connection.linear import Linear
from dchain.links.model.vision import _common
from dchain.links.normalization.batch_normalization import BatchNormalization
from dchain.serializers import npz

#: Per-channel (B, G, R) mean of the images the original ResNet weights were trained on.
MEAN_BGR = numpy.array([103.063, 115.903, 123.152], dtype=numpy.float32)

_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}


def prepare(image, size=(224, 224)):
    """Make a ResNet input ``(3, H, W)`` (BGR, mean subtracted) from a PIL image or an RGB
    array ``(3, H, W)`` with values in [0, 255]; ``size`` is ``(height, width)`` or None.
    """
    return _common.prepare_image(image, size, MEAN_BGR)


class BottleneckA(link.Chain):
    """Bottleneck that changes the width (and maybe the resolution): 1x1 -> 3x3 -> 1x1
    convolutions plus a strided 1x1 projection of the input.

    Args:
        in_channels, mid_channels, out_channels (int): widths.
        stride (int): spatial stride of the block.
        initialW: initializer of the convolutions.
        downsample_fb (bool): stride in the 3x3 convolution (the fb.resnet.torch variant)
            instead of in the first 1x1 one (the original Caffe models).
    """

    def __init__(self, in_channels, mid_channels, out_channels, stride=2, initialW=None,
                 downsample_fb=False):
        super().__init__()
        stride_1x1, stride_3x3 = (1, stride) if downsample_fb else (stride, 1)
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1, stride_1x1, 0,
                                       initialW=initialW, nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3, stride_3x3, 1,
                                       initialW=initialW, nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, out_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(out_channels)
            self.conv4 = Convolution2D(in_channels, out_channels, 1, stride, 0,
                                       initialW=initialW, nobias=True)
            self.bn4 = BatchNormalization(out_channels)

    def forward(self, x):
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return relu(h + self.bn4(self.conv4(x)))


class BottleneckB(link.Chain):
    """Bottleneck keeping the shape: 1x1 -> 3x3 -> 1x1 convolutions plus the identity."""

    def __init__(self, in_channels, mid_channels, initialW=None):
        super().__init__()
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3, 1, 1,
                                       initialW=initialW, nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, in_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(in_channels)

    def forward(self, x):
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return relu(h + x)


class BuildingBlock(link.Chain):
    """One :class:`BottleneckA` (child ``a``) followed by ``n_layer - 1``
    :class:`BottleneckB` (children ``b1``, ``b2``, ...)."""

    def __init__(self, n_layer, in_channels, mid_channels, out_channels, stride,
                 initialW=None, downsample_fb=False):
        super().__init__()
        if n_layer < 1:
            raise ValueError(f'n_layer must be at least 1, got {n_layer!r}')
        with self.init_scope():
            self.a = BottleneckA(in_channels, mid_channels, out_channels, stride, initialW,
                                 downsample_fb)
            self._forward = ['a']
            for i in range(1, n_layer):
                name = f'b{i}'
                setattr(self, name, BottleneckB(out_channels, mid_channels, initialW))
                self._forward.append(name)

    def forward(self, x):
        for name in self._forward:
            x = getattr(self, name)(x)
        return x


def _max_pooling_3x3(x):
    return max_pooling_2d(x, ksize=3, stride=2)


class ResNetLayers(_common.ImageNetLayers):
    """Residual network with 50, 101 or 152 layers, for 224x224 BGR inputs and 1000 classes.

    Args:
        pretrained_model (str or None): ``'auto'`` loads the converted weights from
            ``<dataset root>/pfnet/chainer/models/ResNet-<n>-model.npz`` (they are never
            downloaded: if the file is missing the constructor fails at once, naming that
            path); a path (or an open binary file) loads that npz file (written by
            ``save_npz`` or by Chainer); None
            gives random weights (HeNormal convolutions).
        n_layers (int): 50, 101 or 152.
        downsample_fb (bool): see :class:`BottleneckA`.

    Layers (``available_layers``): ``conv1`` (after BN and ReLU), ``pool1``, ``res2`` ...
    ``res5``, ``pool5`` (global average, ``(n, 2048)``), ``fc6``, ``prob``.
    """

    _default_extract = ('pool5',)

    def __init__(self, pretrained_model, n_layers, downsample_fb=False):
        super().__init__()
        if n_layers not in _BLOCKS:
            raise ValueError(f'n_layers must be 50, 101 or 152, got {n_layers!r}')
        self.n_layers = n_layers
        source = None
        if pretrained_model:
            source = _common.resolve_pretrained(type(self).__name__, pretrained_model,
                                                f'ResNet-{n_layers}-model.npz')
            # Loading overwrites every value, so skip drawing random numbers.
            initialW = initializers.Zero()
        else:
            initialW = initializers.HeNormal(scale=1.0)
        blocks = _BLOCKS[n_layers]
        with self.init_scope():
            self.conv1 = Convolution2D(3, 64, 7, 2, 3, initialW=initialW)
            self.bn1 = BatchNormalization(64)
            self.res2 = BuildingBlock(blocks[0], 64, 64, 256, 1, initialW, downsample_fb)
            self.res3 = BuildingBlock(blocks[1], 256, 128, 512, 2, initialW, downsample_fb)
            self.res4 = BuildingBlock(blocks[2], 512, 256, 1024, 2, initialW, downsample_fb)
            self.res5 = BuildingBlock(blocks[3], 1024, 512, 2048, 2, initialW, downsample_fb)
            self.fc6 = Linear(2048, 1000)
        if source is not None:
            npz.load_npz(source, self)

    @property
    def functions(self):
        """OrderedDict from layer name to the callables producing it from the previous one."""
        return _common.ordered([
            ('conv1', [self.conv1, self.bn1, relu]),
            ('pool1', [_max_pooling_3x3]),
            ('res2', [self.res2]),
            ('res3', [self.res3]),
            ('res4', [self.res4]),
            ('res5', [self.res5]),
            ('pool5', [_common.global_average_pooling_2d]),
            ('fc6', [self.fc6]),
            ('prob', [softmax]),
        ])

    @staticmethod
    def _prepare(image, size):
        return prepare(image, size)


class ResNet50Layers(ResNetLayers):
    """50-layer residual network; see :class:`ResNetLayers`."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 50, downsample_fb)


class ResNet101Layers(ResNetLayers):
    """101-layer residual network; see :class:`ResNetLayers`."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 101, downsample_fb)


class ResNet152Layers(ResNetLayers):
    """152-layer residual network; see :class:`ResNetLayers`."""

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 152, downsample_fb)

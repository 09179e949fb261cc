"""VGG 16/19-layer networks of Simonyan and Zisserman (``L.VGG16Layers``, ``L.VGG19Layers``)."""
import numpy

from dchain import initializers
from dchain.functions.activation.relu import relu
from dchain.functions.activation.softmax import softmax
from dchain.functions.noise.dropout import dropout
from dchain.functions.pooling.max_pooling_2d import max_pooling_2d
from dchain.links.connection.convolution_2d import Convolution2D
from dchain.links.connection.linear import Linear
from dchain.links.model.vision import _common
from dchain.serializers import npz

#: Per-channel (B, G, R) mean of the ImageNet training images the weights were trained on.
MEAN_BGR = numpy.array([103.939, 116.779, 123.68], dtype=numpy.float32)

# Convolutions per stage; every stage ends with 2x2 max pooling.
_STAGES = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_WIDTHS = (64, 128, 256, 512, 512)


def prepare(image, size=(224, 224)):
    """Make a VGG input ``(3, H, W)`` (BGR, ImageNet mean subtracted) from a PIL image or an
    RGB array ``(3, H, W)`` with values in [0, 255]; ``size`` is ``(height, width)`` or None.
    """
    return _common.prepare_image(image, size, MEAN_BGR)


def _max_pooling_2x2(x):
    return max_pooling_2d(x, ksize=2, stride=2)


class VGGLayers(_common.ImageNetLayers):
    """VGG network with 16 or 19 weight layers, for 224x224 BGR inputs and 1000 classes.

    Args:
        pretrained_model (str or None): ``'auto'`` loads the converted ImageNet weights
            from ``<dataset root>/pfnet/chainer/models/VGG_ILSVRC_<n>_layers.npz`` (they are
            never downloaded: if the file is missing the constructor fails at once, naming
            that path); a path (or an open binary file) loads that npz file (written by
            ``save_npz`` or by Chainer);
            None gives random weights (Normal(0.01) weights, zero biases).
        n_layers (int): 16 or 19.

    Layers (``available_layers``): ``conv1_1 ... conv5_3`` (or ``conv5_4``) after ReLU,
    ``pool1 ... pool5``, ``fc6``, ``fc7`` (after ReLU and dropout), ``fc8``, ``prob``.
    """

    _default_extract = ('fc7',)

    def __init__(self, pretrained_model='auto', n_layers=16):
        super().__init__()
        if n_layers not in _STAGES:
            raise ValueError(f'n_layers must be 16 or 19, got {n_layers!r}')
        self.n_layers = n_layers
        source = None
        if pretrained_model:
            source = _common.resolve_pretrained(type(self).__name__, pretrained_model,
                                                f'VGG_ILSVRC_{n_layers}_layers.npz')
            # Loading overwrites every value, so skip drawing random numbers.
            kwargs = {'initialW': initializers.Zero(), 'initial_bias': initializers.Zero()}
        else:
            kwargs = {'initialW': initializers.Normal(0.01),
                      'initial_bias': initializers.Zero()}
        self._conv_names = []
        with self.init_scope():
            in_channels = 3
            for stage, (n_convs, width) in enumerate(zip(_STAGES[n_layers], _WIDTHS), 1):
                names = []
                for i in range(1, n_convs + 1):
                    name = f'conv{stage}_{i}'
                    setattr(self, name, Convolution2D(in_channels, width, 3, 1, 1, **kwargs))
                    in_channels = width
                    names.append(name)
                self._conv_names.append(names)
            self.fc6 = Linear(512 * 7 * 7, 4096, **kwargs)
            self.fc7 = Linear(4096, 4096, **kwargs)
            self.fc8 = Linear(4096, 1000, **kwargs)
        if source is not None:
            npz.load_npz(source, self)

    @property
    def functions(self):
        """OrderedDict from layer name to the callables producing it from the previous one."""
        pairs = []
        for stage, names in enumerate(self._conv_names, 1):
            for name in names:
                pairs.append((name, [getattr(self, name), relu]))
            pairs.append((f'pool{stage}', [_max_pooling_2x2]))
        pairs += [
            ('fc6', [self.fc6, relu, dropout]),
            ('fc7', [self.fc7, relu, dropout]),
            ('fc8', [self.fc8]),
            ('prob', [softmax]),
        ]
        return _common.ordered(pairs)

    @staticmethod
    def _prepare(image, size):
        return prepare(image, size)


class VGG16Layers(VGGLayers):
    """16-layer VGG (configuration D); see :class:`VGGLayers`."""

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, n_layers=16)


class VGG19Layers(VGGLayers):
    """19-layer VGG (configuration E); see :class:`VGGLayers`."""

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, n_layers=19)

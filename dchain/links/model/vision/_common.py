"""Shared machinery of the model-zoo image networks: layer-by-layer forward, image preparation,
ten-crop oversampling and locating pretrained weights."""
import collections
import os

import numpy

from dchain import link, variable
from dchain.config import using_config
from dchain.dataset import convert, download
from dchain.functions.array.reshape import reshape
from dchain.functions.math.sum import sum as _sum
from dchain.functions.pooling.average_pooling_2d import average_pooling_2d


class PretrainedModelNotFoundError(FileNotFoundError):
    """``pretrained_model='auto'`` was asked for but the converted weights are not on disk."""


#: Where ``pretrained_model='auto'`` looks, under the dataset root. The layout is Chainer's,
#: so a file converted by Chainer (``~/.chainer/dataset/pfnet/chainer/models/...``) can be
#: copied over unchanged.
MODEL_DIRECTORY = 'pfnet/chainer/models'


def pretrained_path(filename):
    """Path where ``pretrained_model='auto'`` expects ``filename`` (not created)."""
    return os.path.join(download.get_dataset_directory(MODEL_DIRECTORY, create_directory=False),
                        filename)


def resolve_pretrained(name, pretrained_model, filename):
    """Where to load ``pretrained_model`` from: a path, or an open binary file.

    Called before the network is built so that a missing file fails at once. No network is
    touched: dchain publishes no converted weights to download, and the original Caffe files
    need a protobuf converter, so ``'auto'`` only finds a file a user placed in the dataset
    cache and otherwise says where to put it.

    Raises:
        PretrainedModelNotFoundError: the file is not there.
    """
    if pretrained_model == 'auto':
        path = pretrained_path(filename)
        if not os.path.exists(path):
            raise PretrainedModelNotFoundError(
                f"{name}(pretrained_model='auto'): the pretrained weights are not at "
                f"{path!r} and dchain cannot download them (there is no network access, and "
                "no converted file is published). Obtain the npz file by hand (for example "
                f"convert the original Caffe model with Chainer's "
                f"{name}.convert_caffemodel_to_npz) and put it at that path (the dataset root "
                "is $DCHAIN_DATASET_ROOT, default ~/.dchain/dataset), or pass its path as "
                "pretrained_model, or use pretrained_model=None for random weights.")
        return path
    if hasattr(pretrained_model, 'read'):
        # An open binary file (an extension over Chainer, which takes paths only).
        return pretrained_model
    path = os.fspath(pretrained_model)
    if not os.path.exists(path):
        raise PretrainedModelNotFoundError(
            f'{name}: pretrained_model file {path!r} does not exist')
    return path


def global_average_pooling_2d(x):
    """Average over the spatial axes: ``(n, c, h, w)`` -> ``(n, c)``."""
    n, c, h, w = x.shape
    return reshape(average_pooling_2d(x, (h, w), stride=1), (n, c))


def _require_pil():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError('preparing images for the model-zoo networks needs Pillow to read '
                          'or resize images: pip install Pillow') from e
    return Image


def prepare_image(image, size, mean_bgr):
    """Turn an image into a network input: ``(3, H, W)`` float32, BGR, mean subtracted.

    Args:
        image: a ``PIL.Image`` or an array ``(3, H, W)`` in RGB order with values in
            [0, 255].
        size (pair of int or None): resize to ``(height, width)``; None keeps the size.
        mean_bgr: per-channel mean (B, G, R) subtracted from the result.

    Pillow is needed for PIL images and for resizing an array; an array kept at its size
    goes through numpy only.
    """
    if isinstance(image, numpy.ndarray):
        if image.ndim != 3 or image.shape[0] != 3:
            raise ValueError('prepare expects an RGB image array of shape (3, H, W), got '
                             f'shape {image.shape}')
        if size is None or tuple(image.shape[1:]) == tuple(size):
            hwc = numpy.asarray(image, dtype=numpy.float32).transpose(1, 2, 0)
        else:
            Image = _require_pil()
            pil = Image.fromarray(
                numpy.clip(image, 0, 255).astype(numpy.uint8).transpose(1, 2, 0))
            hwc = _pil_to_array(pil, size)
    else:
        _require_pil()
        hwc = _pil_to_array(image.convert('RGB'), size)
    bgr = hwc[:, :, ::-1] - numpy.asarray(mean_bgr, dtype=numpy.float32)
    return numpy.ascontiguousarray(bgr.transpose(2, 0, 1), dtype=numpy.float32)


def _pil_to_array(pil, size):
    if size is not None:
        # PIL sizes are (width, height); ours are (height, width) like array shapes.
        pil = pil.resize((size[1], size[0]))
    return numpy.asarray(pil, dtype=numpy.float32)


def oversample(images, crop_dims):
    """Ten crops per image: four corners and the center, then the same mirrored.

    Args:
        images (array): ``(n, c, h, w)``.
        crop_dims (pair of int): ``(crop_h, crop_w)``.

    Returns:
        array ``(10 * n, c, crop_h, crop_w)``; the crops of image ``i`` are rows
        ``10 * i`` to ``10 * i + 9``.
    """
    n, c, h, w = images.shape
    ch, cw = crop_dims
    if ch > h or cw > w:
        raise ValueError(f'crop {crop_dims} is larger than the images {(h, w)}')
    origins = [(0, 0), (0, w - cw), (h - ch, 0), (h - ch, w - cw),
               ((h - ch) // 2, (w - cw) // 2)]
    crops = numpy.stack([images[:, :, y:y + ch, x:x + cw] for y, x in origins], axis=1)
    crops = numpy.concatenate([crops, crops[:, :, :, :, ::-1]], axis=1)
    return crops.reshape((n * 10, c, ch, cw))


def _reject_old_kwargs(kwargs):
    # Chainer v1's arguments, replaced by configuration since v2.
    if 'test' in kwargs:
        raise ValueError("the 'test' argument is not supported; use "
                         "dchain.using_config('train', False)")
    if 'volatile' in kwargs:
        raise ValueError("the 'volatile' argument is not supported; use "
                         "dchain.no_backprop_mode()")


# ``predict`` has an argument named ``oversample``.
_oversample = oversample


class ImageNetLayers(link.Chain):
    """A chain whose forward pass is a named sequence of stages (``functions``).

    Subclasses fill ``functions`` (an OrderedDict from layer name to the list of callables
    that produce it from the previous layer) and set ``_prepare`` and ``_default_extract``.
    """

    _default_extract = None
    _predict_size = (256, 256)
    _crop_size = (224, 224)

    @property
    def functions(self):
        raise NotImplementedError

    @property
    def available_layers(self):
        """Names of the layers ``forward`` can return, in order."""
        return list(self.functions.keys())

    @staticmethod
    def _prepare(image, size):
        raise NotImplementedError

    def forward(self, x, layers=None, **kwargs):
        """Run the network up to the last requested layer.

        Args:
            x: input images ``(n, 3, H, W)`` (prepared: BGR, mean subtracted).
            layers (list of str): layer names (see ``available_layers``); default
                ``['prob']``.

        Returns:
            dict from each requested layer name to its output Variable.
        """
        _reject_old_kwargs(kwargs)
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        if layers is None:
            layers = ['prob']
        elif isinstance(layers, str):
            raise TypeError(f'layers must be a list of layer names, got the string {layers!r}; '
                            f'write [{layers!r}]')
        functions = self.functions
        unknown = [name for name in layers if name not in functions]
        if unknown:
            raise ValueError('{} has no layer(s) {}; available layers: {}'.format(
                type(self).__name__, ', '.join(map(repr, unknown)),
                ', '.join(functions.keys())))
        remaining = set(layers)
        activations = {}
        h = x
        for name, funcs in functions.items():
            if not remaining:
                break
            for f in funcs:
                h = f(h)
            if name in remaining:
                activations[name] = h
                remaining.discard(name)
        return activations

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """Features of a list of images (PIL images or RGB arrays ``(3, H, W)``).

        Runs in the current configuration: wrap it in ``dchain.using_config('train',
        False)`` (and ``dchain.no_backprop_mode()``) for inference.

        Returns:
            dict from layer name to Variable, as ``forward``.
        """
        _reject_old_kwargs(kwargs)
        if kwargs:
            raise TypeError('unexpected keyword arguments: {}'.format(', '.join(sorted(kwargs))))
        if layers is None:
            layers = list(self._default_extract)
        x = convert.concat_examples([self._prepare(img, size) for img in images])
        x = variable.Variable(self.device.send(x))
        return self(x, layers=layers)

    def predict(self, images, oversample=True):
        """Class probabilities ``(n, 1000)`` of a list of images.

        Each image is resized to 256x256; with ``oversample`` the probabilities are averaged
        over ten 224x224 crops, else the center crop is used.
        """
        x = convert.concat_examples(
            [self._prepare(img, self._predict_size) for img in images])
        if oversample:
            x = _oversample(x, self._crop_size)
        else:
            top = (self._predict_size[0] - self._crop_size[0]) // 2
            left = (self._predict_size[1] - self._crop_size[1]) // 2
            x = x[:, :, top:top + self._crop_size[0], left:left + self._crop_size[1]]
        with using_config('enable_backprop', False), using_config('train', False):
            y = self(variable.Variable(self.device.send(x)), layers=['prob'])['prob']
            if oversample:
                y = reshape(y, (len(y) // 10, 10) + y.shape[1:])
                y = _sum(y, axis=1) / 10
        return y


def ordered(pairs):
    """OrderedDict from ``(name, list of callables)`` pairs."""
    return collections.OrderedDict(pairs)


__all__ = ['ImageNetLayers', 'PretrainedModelNotFoundError', 'global_average_pooling_2d',
           'oversample', 'prepare_image', 'pretrained_path', 'resolve_pretrained']

"""ImageDataset and LabeledImageDataset: image files read on access (needs Pillow)."""
import os

import numpy

import dchain
from dchain.dataset.dataset_mixin import DatasetMixin


def _pil_image():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError('reading image files needs Pillow, which is not installed: '
                          'pip install pillow (or pip install "dchain[data]")') from e
    return Image


def _read_image(path, dtype):
    image_module = _pil_image()
    with image_module.open(path) as f:
        image = numpy.asarray(f, dtype=dtype)
    if image.ndim == 2:
        image = image[numpy.newaxis]
    else:
        image = image.transpose(2, 0, 1)
    return image


def _read_list_file(path, n_fields):
    entries = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != n_fields:
                raise ValueError('{} line {}: expected {} whitespace-separated field(s), got '
                                 '{!r}'.format(path, lineno, n_fields, line.rstrip('\n')))
            entries.append(fields[0] if n_fields == 1 else tuple(fields))
    return entries


class ImageDataset(DatasetMixin):
    """Dataset of image files; each example is an array of shape ``(channels, H, W)``.

    Grayscale images have one channel; RGB three; RGBA four.

    Args:
        paths (str or list of str): File paths, or the path of a text file listing one image
            path per line.
        root (str): Directory the paths are relative to.
        dtype: Array dtype (default: ``dchain.get_dtype()``, float32).
    """

    def __init__(self, paths, root='.', dtype=None):
        _pil_image()
        if isinstance(paths, str):
            paths = _read_list_file(paths, 1)
        self._paths = list(paths)
        self._root = root
        self._dtype = dchain.get_dtype(dtype)

    def __len__(self):
        return len(self._paths)

    def get_example(self, i):
        return _read_image(os.path.join(self._root, self._paths[i]), self._dtype)


class LabeledImageDataset(DatasetMixin):
    """Dataset of (image file, label) pairs; each example is ``(image, label)``.

    Args:
        pairs (str or list of tuples): ``(path, int label)`` pairs, or the path of a text file
            whose lines read ``<image path> <integer label>``.
        root (str): Directory the paths are relative to.
        dtype: Image dtype (default: ``dchain.get_dtype()``, float32).
        label_dtype: Label dtype.
    """

    def __init__(self, pairs, root='.', dtype=None, label_dtype=numpy.int32):
        _pil_image()
        if isinstance(pairs, str):
            pairs_path = pairs
            pairs = []
            for path, label in _read_list_file(pairs_path, 2):
                try:
                    pairs.append((path, int(label)))
                except ValueError:
                    raise ValueError('{}: label {!r} of {} is not an integer'.format(
                        pairs_path, label, path)) from None
        self._pairs = list(pairs)
        self._root = root
        self._dtype = dchain.get_dtype(dtype)
        self._label_dtype = label_dtype

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        path, label = self._pairs[i]
        image = _read_image(os.path.join(self._root, path), self._dtype)
        return image, numpy.array(label, dtype=self._label_dtype)

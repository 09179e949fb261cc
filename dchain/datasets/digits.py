"""The 8x8 handwritten digits (UCI optdigits test set, 1797 images): a real dataset offline.

The data are the ``digits.csv.gz`` file that scikit-learn ships (``pip install
"dchain[data]"`` installs it). Each row holds 64 pixel intensities in 0..16, then the label.
"""
import gzip
import importlib.util
import os

import numpy

import dchain
from dchain.dataset import download
from dchain.datasets.tuple_dataset import TupleDataset

_FILENAME = 'digits.csv.gz'
N_EXAMPLES = 1797


def _sklearn_copy():
    # find_spec locates the package without importing it (importing sklearn takes ~1 s).
    try:
        spec = importlib.util.find_spec('sklearn')
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = os.path.join(base, 'datasets', 'data', _FILENAME)
        if os.path.exists(path):
            return path
    return None


def digits_file_path():
    """Path of ``digits.csv.gz``: a copy in ``<root>/digits/`` first, else scikit-learn's."""
    local = os.path.join(download.get_dataset_directory('digits', create_directory=False),
                         _FILENAME)
    if os.path.exists(local):
        return local
    path = _sklearn_copy()
    if path is None:
        raise RuntimeError(
            'get_digits needs the file {0} that scikit-learn ships, and neither scikit-learn '
            'nor a copy of the file was found. Install the optional dependency with\n'
            '    pip install "dchain[data]"\n(or pip install scikit-learn), or copy '
            'sklearn/datasets/data/{0} from any scikit-learn installation to {1}'.format(
                _FILENAME, local))
    return path


def load_digits_arrays(path=None):
    """Return ``(images, labels)``: uint8 ``(1797, 64)`` pixels in 0..16 and int labels."""
    path = digits_file_path() if path is None else path
    with gzip.open(path, 'rt') as f:
        table = numpy.loadtxt(f, delimiter=',', dtype=numpy.float64)
    if table.ndim != 2 or table.shape[1] != 65:
        raise ValueError('{}: expected rows of 64 pixels and a label, got shape {}'.format(
            path, table.shape))
    return table[:, :64].astype(numpy.uint8), table[:, 64].astype(numpy.int64)


def get_digits(withlabel=True, ndim=1, scale=1., dtype=None, label_dtype=numpy.int32,
               test_ratio=0.25, seed=0):
    """Load the 8x8 digits, split into training and test sets.

    Args:
        withlabel (bool): Return ``TupleDataset(images, labels)``; else the image arrays.
        ndim (int): 1: images of shape ``(64,)``; 2: ``(8, 8)``; 3: ``(1, 8, 8)``.
        scale (float): Pixels are scaled to ``[0, scale]``.
        dtype: Image dtype (default: ``dchain.get_dtype()``, float32).
        label_dtype: Label dtype.
        test_ratio (float): Fraction of the 1797 examples in the test set.
        seed (int): Seed of the shuffle before the split (``None``: a new split each call).

    Returns:
        ``(train, test)``.
    """
    if ndim not in (1, 2, 3):
        raise ValueError('ndim must be 1, 2 or 3 for the digits dataset, got {!r}'.format(ndim))
    if not 0. < test_ratio < 1.:
        raise ValueError('test_ratio must be in (0, 1), got {!r}'.format(test_ratio))
    images, labels = load_digits_arrays()
    dtype = dchain.get_dtype(dtype)
    images = images.reshape((-1,) + {1: (64,), 2: (8, 8), 3: (1, 8, 8)}[ndim]).astype(dtype)
    images *= dtype.type(scale / 16.)
    labels = labels.astype(label_dtype)
    order = numpy.random.RandomState(seed).permutation(len(images))
    n_test = int(round(len(images) * test_ratio))
    parts = []
    for idx in (numpy.sort(order[n_test:]), numpy.sort(order[:n_test])):
        parts.append(TupleDataset(images[idx], labels[idx]) if withlabel else images[idx])
    return tuple(parts)

"""MNIST (and the loader shared with Fashion-MNIST): IDX files -> cached .npz -> datasets.

The four published ``*-idx?-ubyte.gz`` files are downloaded (or placed by hand) into
``<root>/<name>/raw/``, verified, converted once to ``train.npz``/``test.npz`` in
``<root>/<name>/`` and loaded from there afterwards.
"""
import gzip
import os

import numpy

import dchain
from dchain.dataset import download
from dchain.datasets.tuple_dataset import TupleDataset

_MNIST_URL = 'https://ossci-datasets.s3.amazonaws.com/mnist/'
MNIST_FILES = {
    'train': (('train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'),
              ('train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432')),
    'test': (('t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'),
             ('t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c')),
}

# IDX type codes; multi-byte values are big-endian.
_IDX_DTYPES = {0x08: '>u1', 0x09: '>i1', 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}


def read_idx(path):
    """Read a (gzipped if the name ends in .gz) IDX file into a numpy array."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError('{} is not an IDX file (bad magic number {!r})'.format(path, data[:4]))
    dtype = numpy.dtype(_IDX_DTYPES[data[2]])
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int(n) for n in numpy.frombuffer(data, '>u4', ndim, 4))
    count = int(numpy.prod(shape)) if shape else 1
    if len(data) - header != count * dtype.itemsize:
        raise ValueError('{}: header promises shape {} ({} bytes of data) but the file holds {} '
                         'bytes (truncated or corrupted?)'.format(
                             path, shape, count * dtype.itemsize, len(data) - header))
    array = numpy.frombuffer(data, dtype, count, header).reshape(shape)
    return array.astype(dtype.newbyteorder('='))


def load_mnist_like(name, base_url, files):
    """Return ``{'train': npz-dict, 'test': npz-dict}`` of raw uint8 ``x`` (N, H*W) and ``y``."""
    directory = download.get_dataset_directory(name)
    npz_paths = {split: os.path.join(directory, split + '.npz') for split in files}
    if not all(os.path.exists(p) for p in npz_paths.values()):
        triples = [(fname, base_url + fname, md5)
                   for pair in files.values() for fname, md5 in pair]
        raw = download.fetch_raw_files(name, triples)
        download.warn_on_checksum_mismatch(raw, triples)
        for split, ((images_name, _), (labels_name, _)) in files.items():
            images = read_idx(raw[images_name])
            labels = read_idx(raw[labels_name])
            if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
                raise ValueError('{}/{}: expected N images (N, H, W) and N labels, got shapes '
                                 '{} and {}'.format(images_name, labels_name, images.shape,
                                                    labels.shape))
            with download.atomic_path(npz_paths[split]) as tmp:
                numpy.savez_compressed(tmp, x=images.reshape(len(images), -1).astype(numpy.uint8),
                                       y=labels.astype(numpy.uint8),
                                       shape=numpy.array(images.shape[1:]))
    out = {}
    for split, path in npz_paths.items():
        with numpy.load(path) as f:
            out[split] = {k: f[k] for k in f.files}
    return out


def preprocess_mnist_like(raw, withlabel, ndim, scale, dtype, label_dtype, rgb_format):
    images = raw['x']
    height, width = (int(n) for n in raw['shape'])
    if ndim == 2:
        images = images.reshape(-1, height, width)
    elif ndim == 3:
        images = images.reshape(-1, 1, height, width)
        if rgb_format:
            images = numpy.broadcast_to(images, (len(images), 3, height, width))
    elif ndim != 1:
        raise ValueError('ndim must be 1, 2 or 3 for MNIST-like datasets, got {!r}'.format(ndim))
    dtype = dchain.get_dtype(dtype)
    images = images.astype(dtype)
    images *= dtype.type(scale / 255.)
    if withlabel:
        return TupleDataset(images, raw['y'].astype(label_dtype))
    return images


def get_mnist(withlabel=True, ndim=1, scale=1., dtype=None, label_dtype=numpy.int32,
              rgb_format=False):
    """MNIST handwritten digits: 60000 training and 10000 test images of 28x28 pixels.

    Args:
        withlabel (bool): Return ``TupleDataset(images, labels)``; else the image arrays.
        ndim (int): 1: images of shape ``(784,)``; 2: ``(28, 28)``; 3: ``(1, 28, 28)``.
        scale (float): Pixels are scaled to ``[0, scale]``.
        dtype: Image dtype (default: ``dchain.get_dtype()``, float32).
        label_dtype: Label dtype.
        rgb_format (bool): With ``ndim=3``, repeat the channel to shape ``(3, 28, 28)``.

    Returns:
        ``(train, test)``.

    The files come from the dataset cache (``$DCHAIN_DATASET_ROOT/mnist``), downloaded on
    first use; without network access the error says which files to put where.
    """
    raw = load_mnist_like('mnist', _MNIST_URL, MNIST_FILES)
    return tuple(preprocess_mnist_like(raw[split], withlabel, ndim, scale, dtype, label_dtype,
                                       rgb_format) for split in ('train', 'test'))

"""CIFAR-10 and CIFAR-100: the published python-pickle tarballs -> cached .npz -> datasets.

The tarball is downloaded (or placed by hand) into ``<root>/cifar/raw/``, verified, converted
once to ``<root>/cifar/cifar-10.npz`` (or ``cifar-100.npz``) and loaded from there afterwards.
"""
import os
import pickle
import tarfile

import numpy

import dchain
from dchain.dataset import download
from dchain.datasets.tuple_dataset import TupleDataset

_URL = 'https://www.cs.toronto.edu/~kriz/'
_SPECS = {
    10: dict(archive='cifar-10-python.tar.gz', md5='c58f30108f718f92721af3b95e74349a',
             train=['data_batch_{}'.format(i) for i in range(1, 6)], test=['test_batch'],
             label_key=b'labels'),
    100: dict(archive='cifar-100-python.tar.gz', md5='eb9058c3a382ffc7106e4002c42a8d85',
              train=['train'], test=['test'], label_key=b'fine_labels'),
}


def _read_batches(tar, members, names, label_key, archive):
    xs, ys = [], []
    for name in names:
        member = members.get(name)
        if member is None:
            raise ValueError('{}: no member named {!r} (found {})'.format(
                archive, name, sorted(members)))
        with tar.extractfile(member) as f:
            # The batches were pickled by Python 2: byte-string keys.
            batch = pickle.load(f, encoding='bytes')
        xs.append(numpy.asarray(batch[b'data'], dtype=numpy.uint8).reshape(-1, 3072))
        ys.append(numpy.asarray(batch[label_key], dtype=numpy.uint8))
    return numpy.concatenate(xs), numpy.concatenate(ys)


def _load_cifar(n_classes):
    spec = _SPECS[n_classes]
    path = os.path.join(download.get_dataset_directory('cifar'),
                        'cifar-{}.npz'.format(n_classes))
    if not os.path.exists(path):
        triples = [(spec['archive'], _URL + spec['archive'], spec['md5'])]
        raw = download.fetch_raw_files('cifar', triples)
        download.warn_on_checksum_mismatch(raw, triples)
        archive = raw[spec['archive']]
        with tarfile.open(archive, 'r:gz') as tar:
            members = {os.path.basename(m.name): m for m in tar.getmembers() if m.isfile()}
            train_x, train_y = _read_batches(tar, members, spec['train'], spec['label_key'],
                                             archive)
            test_x, test_y = _read_batches(tar, members, spec['test'], spec['label_key'],
                                           archive)
        with download.atomic_path(path) as tmp:
            numpy.savez_compressed(tmp, train_x=train_x, train_y=train_y, test_x=test_x,
                                   test_y=test_y)
    with numpy.load(path) as f:
        return {k: f[k] for k in f.files}


def _preprocess(x, y, withlabel, ndim, scale, dtype):
    if ndim == 1:
        x = x.reshape(-1, 3072)
    elif ndim == 3:
        x = x.reshape(-1, 3, 32, 32)
    else:
        raise ValueError('ndim must be 1 or 3 for CIFAR, got {!r}'.format(ndim))
    dtype = dchain.get_dtype(dtype)
    x = x.astype(dtype)
    x *= dtype.type(scale / 255.)
    if withlabel:
        return TupleDataset(x, y.astype(numpy.int32))
    return x


def _get_cifar(n_classes, withlabel, ndim, scale, dtype):
    raw = _load_cifar(n_classes)
    return (_preprocess(raw['train_x'], raw['train_y'], withlabel, ndim, scale, dtype),
            _preprocess(raw['test_x'], raw['test_y'], withlabel, ndim, scale, dtype))


def get_cifar10(withlabel=True, ndim=3, scale=1., dtype=None):
    """CIFAR-10: 50000 training and 10000 test 32x32 colour images in 10 classes.

    Args:
        withlabel (bool): Return ``TupleDataset(images, int32 labels)``; else the images.
        ndim (int): 3: images of shape ``(3, 32, 32)``; 1: flat ``(3072,)``.
        scale (float): Pixels are scaled to ``[0, scale]``.
        dtype: Image dtype (default: ``dchain.get_dtype()``, float32).

    Returns:
        ``(train, test)``. Cached under ``$DCHAIN_DATASET_ROOT/cifar``.
    """
    return _get_cifar(10, withlabel, ndim, scale, dtype)


def get_cifar100(withlabel=True, ndim=3, scale=1., dtype=None):
    """CIFAR-100 with its 100 fine labels; arguments as :func:`get_cifar10`."""
    return _get_cifar(100, withlabel, ndim, scale, dtype)

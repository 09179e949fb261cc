"""MNIST, Fashion-MNIST, CIFAR and PTB loaders on small files in the published formats,
pre-placed in a temporary dataset root (no download is attempted)."""
import gzip
import io
import os
import pickle
import struct
import tarfile
import warnings

import numpy
import pytest

from dchain import datasets
from dchain.dataset import download


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    # Any download attempt must fail at once instead of reaching the network.
    monkeypatch.setattr(download, 'download_file', _no_download)
    return tmp_path


def _no_download(url, path, **kwargs):
    raise download.DownloadError('test: downloading {} is not allowed'.format(url))


def _write_idx(path, array):
    header = struct.pack('>BBBB', 0, 0, 0x08, array.ndim)
    header += struct.pack('>' + 'I' * array.ndim, *array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.astype(numpy.uint8).tobytes())


def _place_mnist(root, name, n_train=6, n_test=4):
    rng = numpy.random.RandomState(0)
    raw = root / name / 'raw'
    raw.mkdir(parents=True)
    arrays = {}
    for prefix, n in (('train', n_train), ('t10k', n_test)):
        x = rng.randint(0, 256, size=(n, 28, 28)).astype(numpy.uint8)
        y = rng.randint(0, 10, size=n).astype(numpy.uint8)
        _write_idx(str(raw / '{}-images-idx3-ubyte.gz'.format(prefix)), x)
        _write_idx(str(raw / '{}-labels-idx1-ubyte.gz'.format(prefix)), y)
        arrays[prefix] = (x, y)
    return arrays


@pytest.mark.parametrize('name,loader', [('mnist', datasets.get_mnist),
                                         ('fashion-mnist', datasets.get_fashion_mnist)])
def test_mnist_like_from_idx_files(root, name, loader):
    arrays = _place_mnist(root, name)
    with pytest.warns(RuntimeWarning, match='published'):
        train, test = loader()
    x, y = arrays['train']
    assert len(train) == 6 and len(test) == 4
    img, label = train[2]
    assert img.shape == (784,) and img.dtype == numpy.float32 and label.dtype == numpy.int32
    numpy.testing.assert_allclose(img, x[2].reshape(-1) / 255., rtol=1e-6)
    assert label == y[2]
    assert os.path.exists(root / name / 'train.npz')
    # The second call reads the cache only, even with the raw files gone.
    for f in (root / name / 'raw').iterdir():
        f.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        x3, _ = loader(withlabel=False, ndim=3, scale=255., dtype=numpy.float64,
                       rgb_format=True)
    assert x3.shape == (6, 3, 28, 28) and x3.dtype == numpy.float64
    numpy.testing.assert_array_equal(x3[:, 1], x.astype(numpy.float64))
    tr2, _ = loader(ndim=2, label_dtype=numpy.int64)
    assert tr2[0][0].shape == (28, 28) and tr2[0][1].dtype == numpy.int64
    with pytest.raises(ValueError, match='ndim'):
        loader(ndim=4)


def test_mnist_offline_error_names_files_and_paths(root):
    with pytest.raises(download.DownloadError) as info:
        datasets.get_mnist()
    msg = str(info.value)
    for fname in ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
                  't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'):
        assert os.path.join(str(root), 'mnist', 'raw', fname) in msg
    assert not os.path.exists(root / 'mnist' / 'train.npz')


def test_idx_truncated_file_is_reported(root):
    raw = root / 'mnist' / 'raw'
    _place_mnist(root, 'mnist')
    with gzip.open(str(raw / 'train-images-idx3-ubyte.gz'), 'rb') as f:
        data = f.read()
    with gzip.open(str(raw / 'train-images-idx3-ubyte.gz'), 'wb') as f:
        f.write(data[:-10])
    with pytest.raises(ValueError, match='truncated'), pytest.warns(RuntimeWarning):
        datasets.get_mnist()
    assert not os.path.exists(root / 'mnist' / 'train.npz')


def _pickle_member(tar, name, obj):
    data = pickle.dumps(obj, protocol=2)
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _place_cifar(root, n_classes):
    rng = numpy.random.RandomState(1)
    raw = root / 'cifar' / 'raw'
    raw.mkdir(parents=True, exist_ok=True)
    batches = {}
    if n_classes == 10:
        archive, folder, key = 'cifar-10-python.tar.gz', 'cifar-10-batches-py', b'labels'
        names = ['data_batch_{}'.format(i) for i in range(1, 6)] + ['test_batch']
    else:
        archive, folder, key = 'cifar-100-python.tar.gz', 'cifar-100-python', b'fine_labels'
        names = ['train', 'test']
    with tarfile.open(str(raw / archive), 'w:gz') as tar:
        for name in names:
            x = rng.randint(0, 256, size=(2, 3072)).astype(numpy.uint8)
            y = rng.randint(0, n_classes, size=2).tolist()
            batch = {b'data': x, key: y, b'coarse_labels': [0, 0], b'batch_label': b'x'}
            _pickle_member(tar, folder + '/' + name, batch)
            batches[name] = (x, y)
        _pickle_member(tar, folder + '/meta', {b'label_names': []})
    return batches


def test_cifar10(root):
    batches = _place_cifar(root, 10)
    with pytest.warns(RuntimeWarning):
        train, test = datasets.get_cifar10()
    assert len(train) == 10 and len(test) == 2
    x, y = train[2]  # first example of data_batch_2
    assert x.shape == (3, 32, 32) and x.dtype == numpy.float32 and y.dtype == numpy.int32
    numpy.testing.assert_allclose(x, batches['data_batch_2'][0][0].reshape(3, 32, 32) / 255.,
                                  rtol=1e-6)
    assert y == batches['data_batch_2'][1][0]
    assert test[1][1] == batches['test_batch'][1][1]
    flat, _ = datasets.get_cifar10(withlabel=False, ndim=1, scale=255.)
    assert flat.shape == (10, 3072)
    numpy.testing.assert_array_equal(flat[0], batches['data_batch_1'][0][0])
    with pytest.raises(ValueError, match='ndim'):
        datasets.get_cifar10(ndim=2)


def test_cifar100_fine_labels(root):
    batches = _place_cifar(root, 100)
    with pytest.warns(RuntimeWarning):
        train, test = datasets.get_cifar100()
    assert len(train) == 2 and len(test) == 2
    assert [int(t) for _, t in train] == batches['train'][1]
    assert os.path.exists(root / 'cifar' / 'cifar-100.npz')


def test_ptb_words(root):
    raw = root / 'ptb' / 'raw'
    raw.mkdir(parents=True)
    (raw / 'ptb.train.txt').write_text(' the cat sat \n the <unk> ran \n')
    (raw / 'ptb.valid.txt').write_text(' cat ran \n')
    (raw / 'ptb.test.txt').write_text(' dog sat \n')
    with pytest.warns(RuntimeWarning):
        train, valid, test = datasets.get_ptb_words()
    vocab = datasets.get_ptb_words_vocabulary()
    assert vocab == {'the': 0, 'cat': 1, 'sat': 2, '<eos>': 3, '<unk>': 4, 'ran': 5}
    assert train.dtype == numpy.int32
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 5, 3]
    assert valid.tolist() == [1, 5, 3]
    assert test.tolist() == [4, 2, 3]  # unknown 'dog' -> <unk>

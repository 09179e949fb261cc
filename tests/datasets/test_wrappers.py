"""ConcatenatedDataset, TransformDataset, ImageDataset, LabeledImageDataset, TextDataset,
PickleDataset."""
import os
import pickle
import sys

import numpy
import pytest

from dchain import datasets
from dchain.datasets import image_dataset


def test_concatenated_dataset():
    ds = datasets.ConcatenatedDataset([0, 1], [], numpy.array([2, 3, 4]))
    assert len(ds) == 5
    assert [ds[i] for i in range(5)] == [0, 1, 2, 3, 4]
    assert ds[-1] == 4 and ds[1:4] == [1, 2, 3]
    with pytest.raises(IndexError):
        ds[5]
    assert len(datasets.ConcatenatedDataset()) == 0


def test_transform_dataset_runs_on_each_access():
    calls = []

    def double(x):
        calls.append(x)
        return x * 2

    ds = datasets.TransformDataset(datasets.TupleDataset([1, 2, 3], [4, 5, 6]),
                                   lambda ex: (double(ex[0]), ex[1]))
    assert len(ds) == 3 and ds[1] == (4, 5) and ds[0:2] == [(2, 4), (4, 5)]
    ds[1]
    assert calls == [2, 1, 2, 2]


@pytest.fixture
def images(tmp_path):
    Image = pytest.importorskip('PIL.Image')
    rng = numpy.random.RandomState(0)
    rgb = rng.randint(0, 256, size=(4, 5, 3)).astype(numpy.uint8)
    gray = rng.randint(0, 256, size=(4, 5)).astype(numpy.uint8)
    Image.fromarray(rgb).save(str(tmp_path / 'rgb.png'))
    Image.fromarray(gray).save(str(tmp_path / 'gray.png'))
    return tmp_path, rgb, gray


def test_image_dataset(images):
    root, rgb, gray = images
    ds = datasets.ImageDataset(['rgb.png', 'gray.png'], root=str(root))
    a, b = ds[0], ds[1]
    assert a.shape == (3, 4, 5) and a.dtype == numpy.float32
    numpy.testing.assert_array_equal(a, rgb.transpose(2, 0, 1))
    assert b.shape == (1, 4, 5)
    numpy.testing.assert_array_equal(b[0], gray)
    (root / 'list.txt').write_text('gray.png\n\nrgb.png\n')
    ds = datasets.ImageDataset(str(root / 'list.txt'), root=str(root), dtype=numpy.uint8)
    assert len(ds) == 2 and ds[1].dtype == numpy.uint8


def test_labeled_image_dataset(images):
    root, rgb, _ = images
    (root / 'pairs.txt').write_text('rgb.png 3\ngray.png 7\n')
    ds = datasets.LabeledImageDataset(str(root / 'pairs.txt'), root=str(root))
    x, t = ds[0]
    numpy.testing.assert_array_equal(x, rgb.transpose(2, 0, 1))
    assert t == 3 and t.dtype == numpy.int32 and ds[1][1] == 7
    ds = datasets.LabeledImageDataset([('gray.png', 1)], root=str(root),
                                      label_dtype=numpy.int64)
    assert ds[0][1].dtype == numpy.int64
    (root / 'bad.txt').write_text('rgb.png three\n')
    with pytest.raises(ValueError, match='three'):
        datasets.LabeledImageDataset(str(root / 'bad.txt'))


def test_image_dataset_without_pillow_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, 'PIL', None)
    with pytest.raises(ImportError, match='Pillow'):
        datasets.ImageDataset(['x.png'])
    with pytest.raises(ImportError, match='pip install pillow'):
        image_dataset._read_image('x.png', numpy.float32)


def test_text_dataset(tmp_path):
    (tmp_path / 'a.txt').write_text('hello\nworld\n\nlast')
    (tmp_path / 'b.txt').write_text('1\n2\n3\n4\n')
    ds = datasets.TextDataset(str(tmp_path / 'a.txt'))
    assert len(ds) == 4
    assert ds[0] == 'hello\n' and ds[2] == '\n' and ds[3] == 'last'
    assert ds[1:3] == ['world\n', '\n']
    pair = datasets.TextDataset([str(tmp_path / 'a.txt'), str(tmp_path / 'b.txt')],
                                filter_func=lambda a, b: a.strip() != '')
    assert len(pair) == 3
    assert pair[2] == ('last', '4\n')
    clone = pickle.loads(pickle.dumps(pair))
    assert clone[0] == ('hello\n', '1\n')
    pair.close()
    assert pair[1] == ('world\n', '2\n')  # reopened on demand
    (tmp_path / 'c.txt').write_text('x\n')
    with pytest.raises(ValueError, match='different numbers of lines'):
        datasets.TextDataset([str(tmp_path / 'a.txt'), str(tmp_path / 'c.txt')])


def test_text_dataset_encoding(tmp_path):
    (tmp_path / 'u.txt').write_bytes('caf\u00e9\n\u65e5\u672c\n'.encode('utf-8'))
    ds = datasets.TextDataset(str(tmp_path / 'u.txt'), encoding='utf-8')
    assert ds[1] == '\u65e5\u672c\n' and ds[0] == 'caf\u00e9\n'


def test_pickle_dataset_roundtrip(tmp_path):
    path = str(tmp_path / 'data.pkl')
    examples = [(numpy.arange(i), {'k': i}) for i in range(5)]
    with datasets.open_pickle_dataset_writer(path) as writer:
        for ex in examples:
            writer.write(ex)
    with datasets.open_pickle_dataset(path) as ds:
        assert len(ds) == 5
        x, d = ds[3]
        numpy.testing.assert_array_equal(x, numpy.arange(3))
        assert d == {'k': 3}
        assert [e[1]['k'] for e in ds[::-1]] == [4, 3, 2, 1, 0]
    assert os.path.getsize(path) > 0


def test_file_datasets_in_forked_workers(tmp_path):
    from dchain.iterators import MultiprocessIterator
    (tmp_path / 'a.txt').write_text(''.join('line{}\n'.format(i) for i in range(20)))
    text = datasets.TextDataset(str(tmp_path / 'a.txt'))
    text[0]  # the parent has its handle open before the fork
    path = str(tmp_path / 'p.pkl')
    with datasets.open_pickle_dataset_writer(path) as w:
        for i in range(20):
            w.write(i)
    pickled = datasets.open_pickle_dataset(path)
    pickled[3]
    ds = datasets.TupleDataset(text, pickled)
    with MultiprocessIterator(ds, 20, repeat=False, n_processes=2, n_prefetch=1) as it:
        batch = it.next()
    assert sorted(batch, key=lambda e: e[1]) == [('line{}\n'.format(i), i) for i in range(20)]
    assert text[5] == 'line5\n' and pickled[7] == 7
    pickled.close()

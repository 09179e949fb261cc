import numpy
import pytest

from dchain import datasets


def test_integer_index_returns_tuple():
    x = numpy.arange(12, dtype=numpy.float32).reshape(4, 3)
    y = numpy.array([0, 1, 0, 1], dtype=numpy.int32)
    ds = datasets.TupleDataset(x, y)
    assert len(ds) == 4
    a, b = ds[2]
    assert (a == numpy.array([6, 7, 8])).all() and b == 0
    assert ds[-1][1] == 1


@pytest.mark.parametrize('index', [slice(1, 3), [1, 2], numpy.array([1, 2])])
def test_batch_index_returns_list_of_tuples(index):
    x = numpy.arange(8).reshape(4, 2)
    ds = datasets.TupleDataset(x, ['a', 'b', 'c', 'd'])
    batch = ds[index]
    assert isinstance(batch, list) and len(batch) == 2
    assert (batch[0][0] == [2, 3]).all() and batch[1][1] == 'c'


def test_mismatched_lengths_named():
    with pytest.raises(ValueError, match=r'\[3, 2\]'):
        datasets.TupleDataset(numpy.zeros(3), numpy.zeros(2))
    with pytest.raises(ValueError):
        datasets.TupleDataset()


def test_dict_dataset():
    ds = datasets.DictDataset(x=numpy.arange(3), y=['a', 'b', 'c'])
    assert len(ds) == 3
    assert ds[1] == {'x': 1, 'y': 'b'}
    assert ds[0:2] == [{'x': 0, 'y': 'a'}, {'x': 1, 'y': 'b'}]
    assert ds[numpy.array([2, 0])] == [{'x': 2, 'y': 'c'}, {'x': 0, 'y': 'a'}]
    with pytest.raises(ValueError, match='same length'):
        datasets.DictDataset(x=numpy.arange(3), y=[1])


def test_dataset_mixin_indexing():
    class Squares(datasets.DatasetMixin):
        def __len__(self):
            return 5

        def get_example(self, i):
            return i * i

    ds = Squares()
    assert ds[3] == 9 and ds[-1] == 16
    assert ds[1:4] == [1, 4, 9]
    assert ds[::2] == [0, 4, 16]
    assert ds[[4, 0]] == [16, 0]
    assert ds[numpy.array([2])] == [4]
    with pytest.raises(IndexError):
        ds[5]
    with pytest.raises(TypeError):
        ds['a']

import numpy
import pytest

from dchain import datasets


def test_sub_dataset_range_and_order():
    base = list(range(10))
    sub = datasets.SubDataset(base, 2, 5)
    assert len(sub) == 3 and sub[0] == 2 and sub[-1] == 4 and sub[:] == [2, 3, 4]
    order = numpy.arange(10)[::-1]
    sub = datasets.SubDataset(base, 0, 3, order)
    assert sub[:] == [9, 8, 7]
    with pytest.raises(IndexError):
        sub[3]
    with pytest.raises(ValueError):
        datasets.SubDataset(base, 4, 11)
    with pytest.raises(ValueError, match='permutation'):
        datasets.SubDataset(base, 0, 3, [0, 1])


def test_split_dataset():
    a, b = datasets.split_dataset(list(range(7)), 3)
    assert a[:] == [0, 1, 2] and b[:] == [3, 4, 5, 6]
    a, b = datasets.split_dataset(list(range(4)), 1, [3, 2, 1, 0])
    assert a[:] == [3] and b[:] == [2, 1, 0]
    with pytest.raises(ValueError):
        datasets.split_dataset([1, 2], 3)
    with pytest.raises(TypeError):
        datasets.split_dataset([1, 2], 1.5)


def test_split_dataset_random_reproducible_and_disjoint():
    base = list(range(20))
    a, b = datasets.split_dataset_random(base, 7, seed=5)
    a2, b2 = datasets.split_dataset_random(base, 7, seed=5)
    assert a[:] == a2[:] and b[:] == b2[:]
    assert len(a) == 7 and sorted(a[:] + b[:]) == base


def test_split_dataset_n():
    parts = datasets.split_dataset_n(list(range(10)), 3)
    assert [p[:] for p in parts] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    parts = datasets.split_dataset_n_random(list(range(9)), 3, seed=0)
    assert sorted(x for p in parts for x in p[:]) == list(range(9))
    with pytest.raises(ValueError):
        datasets.split_dataset_n([1], 0)


def test_cross_validation():
    base = list(range(10))
    pairs = datasets.get_cross_validation_datasets(base, 3)
    assert len(pairs) == 3
    tests = [sorted(t[:]) for _, t in pairs]
    assert tests == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]
    for train, test in pairs:
        assert sorted(train[:] + test[:]) == base
    # Chainer's old keyword ``n`` still works.
    assert len(datasets.get_cross_validation_datasets(base, n=2)) == 2
    pairs = datasets.get_cross_validation_datasets_random(base, 5, seed=1)
    assert sorted(x for _, t in pairs for x in t[:]) == base
    with pytest.raises(ValueError):
        datasets.get_cross_validation_datasets(base, 1)

import gzip
import os

import numpy
import pytest

from dchain import datasets
from dchain.datasets import digits as digits_module


def _have_digits():
    try:
        digits_module.digits_file_path()
        return True
    except RuntimeError:
        return False


needs_digits = pytest.mark.skipif(not _have_digits(),
                                  reason='scikit-learn (the dchain[data] extra) is missing')


@needs_digits
def test_get_digits_real_file():
    train, test = datasets.get_digits()
    assert len(train) + len(test) == 1797
    assert len(test) == round(1797 * 0.25)
    x, t = train[0]
    assert x.shape == (64,) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    xs = numpy.stack([e[0] for e in train])
    ts = numpy.array([e[1] for e in train])
    assert xs.min() == 0. and xs.max() == 1.
    assert set(ts.tolist()) == set(range(10))


@needs_digits
def test_get_digits_options():
    train, test = datasets.get_digits(withlabel=False, ndim=3, scale=16., dtype=numpy.float64,
                                      test_ratio=0.5, seed=3)
    assert isinstance(train, numpy.ndarray) and train.shape[1:] == (1, 8, 8)
    assert train.dtype == numpy.float64 and train.max() == 16.
    assert (train == numpy.round(train)).all()  # integer intensities survive scale=16
    a, _ = datasets.get_digits(seed=3, test_ratio=0.5, ndim=2)
    assert a[0][0].shape == (8, 8)
    with pytest.raises(ValueError, match='ndim'):
        datasets.get_digits(ndim=4)


def test_get_digits_hand_placed_copy(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    rows = numpy.zeros((20, 65), dtype=numpy.int64)
    rows[:, :64] = numpy.arange(20)[:, None] % 17
    rows[:, 64] = numpy.arange(20) % 10
    os.makedirs(tmp_path / 'digits')
    with gzip.open(tmp_path / 'digits' / 'digits.csv.gz', 'wt') as f:
        numpy.savetxt(f, rows, fmt='%d', delimiter=',')
    train, test = datasets.get_digits(test_ratio=0.25, seed=0)
    assert len(train) == 15 and len(test) == 5
    for x, t in list(train) + list(test):
        # Every row is constant, pixel value i % 17 for label i % 10.
        assert x.shape == (64,) and (x == x[0]).all()
    labels = sorted(int(t) for _, t in list(train) + list(test))
    assert labels == sorted((numpy.arange(20) % 10).tolist())


def test_get_digits_missing_names_extra(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    monkeypatch.setattr(digits_module, '_sklearn_copy', lambda: None)
    with pytest.raises(RuntimeError, match=r'dchain\[data\]'):
        datasets.get_digits()

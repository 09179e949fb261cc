"""save_hdf5 / load_hdf5, HDF5Serializer and HDF5Deserializer."""
import os

import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import optimizers
from dchain import serializers
from dchain.serializer import SerializedFileError


class _Model(dchain.Chain):
    def __init__(self, hidden=5, seed=0):
        super().__init__()
        rng = numpy.random.RandomState(seed)
        with self.init_scope():
            self.l1 = L.Linear(3, hidden, initialW=rng.randn(hidden, 3).astype(numpy.float32))
            self.l2 = L.Linear(hidden, 1, initialW=rng.randn(1, hidden).astype(numpy.float32))
        self.add_persistent('count', 0)

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _loss(model, x):
    return F.sum(model(x) ** 2)


h5py = pytest.importorskip('h5py')


def test_model_and_optimizer_round_trip_and_resume(tmp_path):
    x = numpy.linspace(-1, 1, 12, dtype=numpy.float32).reshape(4, 3)
    model = _Model(seed=0)
    model.count = 3
    opt = optimizers.Adam(alpha=0.01).setup(model)
    for _ in range(3):
        opt.update(_loss, model, x)
    serializers.save_hdf5(str(tmp_path / 'm.h5'), model)
    serializers.save_hdf5(str(tmp_path / 'o.h5'), opt)
    with h5py.File(str(tmp_path / 'o.h5'), 'r') as f:
        assert 'l1/W/m' in f and int(f['t'][()]) == 3

    other = _Model(seed=1)
    oopt = optimizers.Adam(alpha=0.01).setup(other)
    serializers.load_hdf5(str(tmp_path / 'm.h5'), other)
    serializers.load_hdf5(str(tmp_path / 'o.h5'), oopt)
    assert other.count == 3 and oopt.t == 3
    numpy.testing.assert_array_equal(other(x).array, model(x).array)
    for _ in range(3):
        opt.update(_loss, model, x)
        oopt.update(_loss, other, x)
    for p, q in zip(model.params(), other.params()):
        assert numpy.array_equal(p.array, q.array)


def test_strings_round_trip(tmp_path):
    summary = dchain.DictSummary()
    summary.add({'loss': 2.0, 'accuracy': 0.5})
    path = str(tmp_path / 's.h5')
    serializers.save_hdf5(path, summary)
    loaded = dchain.DictSummary()
    serializers.load_hdf5(path, loaded)
    assert loaded.compute_mean() == pytest.approx({'loss': 2.0, 'accuracy': 0.5})


def test_errors(tmp_path):
    path = str(tmp_path / 'm.h5')
    serializers.save_hdf5(path, _Model(hidden=5))
    with pytest.raises(ValueError) as info:
        serializers.load_hdf5(path, _Model(hidden=4))
    assert "'l1/W'" in str(info.value) and '(4, 3)' in str(info.value) \
        and '(5, 3)' in str(info.value)
    with pytest.raises(KeyError, match="'W' is not found"):
        serializers.load_hdf5(path, L.Linear(3, 5))
    lin = L.Linear(3, 5)
    serializers.load_hdf5(path, lin, path='l1/')
    lin2 = L.Linear(3, 5, initial_bias=7.0)
    serializers.load_hdf5(path, lin2, path='l1/', ignore_names='b')
    numpy.testing.assert_array_equal(lin2.b.array, 7.0)
    numpy.testing.assert_array_equal(lin2.W.array, lin.W.array)
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(SerializedFileError, match='m.h5'):
        serializers.load_hdf5(path, _Model())
    with pytest.raises(FileNotFoundError):
        serializers.load_hdf5(str(tmp_path / 'none.h5'), _Model())


def test_write_is_atomic(tmp_path):
    path = str(tmp_path / 'm.h5')
    serializers.save_hdf5(path, _Model())
    original = open(path, 'rb').read()

    class Failing:
        def serialize(self, s):
            s('a', numpy.zeros(100))
            raise RuntimeError('crash while saving')

    with pytest.raises(RuntimeError, match='crash'):
        serializers.save_hdf5(path, Failing())
    assert open(path, 'rb').read() == original
    assert os.listdir(tmp_path) == ['m.h5']

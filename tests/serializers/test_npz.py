"""save_npz / load_npz, DictionarySerializer and NpzDeserializer."""
import io
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
        self.add_persistent('running', numpy.zeros(2, numpy.float32))

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _data():
    rng = numpy.random.RandomState(42)
    x = rng.uniform(-1, 1, (16, 3)).astype(numpy.float32)
    return x, numpy.sin(x.sum(1, keepdims=True)).astype(numpy.float32)


def _loss(model, x, y):
    d = model(x) - y
    return F.sum(d * d) / len(x)


def test_dictionary_serializer_paths_and_return_value():
    model = _Model()
    s = serializers.DictionarySerializer()
    s.save(model)
    assert sorted(s.target) == ['count', 'l1/W', 'l1/b', 'l2/W', 'l2/b', 'running']
    assert s['a']['/b/']('c', 3) == 3
    assert 'a/b/c' in s.target


@pytest.mark.parametrize('compression', [True, False])
def test_model_round_trip(tmp_path, compression):
    model = _Model(seed=0)
    model.count = 7
    model.running[...] = [1.5, -2]
    path = str(tmp_path / 'model.npz')
    serializers.save_npz(path, model, compression=compression)
    other = _Model(seed=1)
    W_buffer = other.l1.W.array
    serializers.load_npz(path, other)
    x, _ = _data()
    numpy.testing.assert_array_equal(other(x).array, model(x).array)
    assert other.l1.W.array is W_buffer  # loaded in place
    assert other.count == 7 and isinstance(other.count, int)
    numpy.testing.assert_array_equal(other.running, [1.5, -2])


def test_compression_shrinks_redundant_data(tmp_path):
    model = L.Linear(200, 200, initialW=0.0)
    serializers.save_npz(str(tmp_path / 'c.npz'), model, compression=True)
    serializers.save_npz(str(tmp_path / 'u.npz'), model, compression=False)
    assert os.path.getsize(tmp_path / 'c.npz') * 10 < os.path.getsize(tmp_path / 'u.npz')


def test_file_objects(tmp_path):
    model = _Model(seed=0)
    buf = io.BytesIO()
    serializers.save_npz(buf, model)
    buf.seek(0)
    other = _Model(seed=1)
    serializers.load_npz(buf, other)
    numpy.testing.assert_array_equal(other.l2.W.array, model.l2.W.array)


def test_lazy_parameter_is_initialized_from_file(tmp_path):
    src = L.Linear(3, 2)
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, src)
    dst = L.Linear(None, 2)
    serializers.load_npz(path, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)


def _train(model, opt, x, y, steps):
    for _ in range(steps):
        opt.update(_loss, model, x, y)


@pytest.mark.parametrize('make_opt', [
    lambda: optimizers.SGD(lr=0.1),
    lambda: optimizers.MomentumSGD(lr=0.05),
    lambda: optimizers.Adam(alpha=0.01),
    lambda: optimizers.AMSBound(alpha=0.01),
], ids=['SGD', 'MomentumSGD', 'Adam', 'AMSBound'])
def test_optimizer_round_trip_and_bitwise_resume(tmp_path, make_opt):
    x, y = _data()
    model = _Model()
    opt = make_opt().setup(model)
    _train(model, opt, x, y, 5)
    opt.new_epoch()
    mpath, opath = str(tmp_path / 'model.npz'), str(tmp_path / 'opt.npz')
    serializers.save_npz(mpath, model)
    serializers.save_npz(opath, opt)

    resumed = _Model(seed=3)
    ropt = make_opt().setup(resumed)
    serializers.load_npz(mpath, resumed)
    serializers.load_npz(opath, ropt)
    assert (ropt.t, ropt.epoch) == (5, 1)
    for (name, p), (_, q) in zip(model.namedparams(), resumed.namedparams()):
        assert q.update_rule.t == p.update_rule.t
        assert sorted(q.update_rule.state) == sorted(p.update_rule.state)
        for key in p.update_rule.state:
            numpy.testing.assert_array_equal(q.update_rule.state[key], p.update_rule.state[key])

    _train(model, opt, x, y, 7)
    _train(resumed, ropt, x, y, 7)
    for p, q in zip(model.params(), resumed.params()):
        assert numpy.array_equal(p.array, q.array)  # bitwise identical continuation


def test_load_into_optimizer_that_already_has_state(tmp_path):
    x, y = _data()
    model = _Model()
    opt = optimizers.Adam().setup(model)
    _train(model, opt, x, y, 2)
    path = str(tmp_path / 'opt.npz')
    serializers.save_npz(path, opt)
    saved_m = model.l1.W.update_rule.state['m'].copy()
    _train(model, opt, x, y, 3)
    serializers.load_npz(path, opt)
    assert opt.t == 2 and model.l1.W.update_rule.t == 2
    numpy.testing.assert_array_equal(model.l1.W.update_rule.state['m'], saved_m)


def test_shape_mismatch_names_key_and_shapes(tmp_path):
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, _Model(hidden=5))
    with pytest.raises(ValueError) as info:
        serializers.load_npz(path, _Model(hidden=4))
    msg = str(info.value)
    assert "'l1/W'" in msg and '(4, 3)' in msg and '(5, 3)' in msg and 'm.npz' in msg


def test_missing_key_strict_and_not_strict(tmp_path):
    path = str(tmp_path / 'lin.npz')
    serializers.save_npz(path, L.Linear(3, 5, nobias=True))
    with pytest.raises(KeyError, match="'b'"):
        serializers.load_npz(path, L.Linear(3, 5))
    target = L.Linear(3, 5, initial_bias=2.0)
    serializers.load_npz(path, target, strict=False)
    numpy.testing.assert_array_equal(target.b.array, 2.0)


def test_path_loads_sub_tree(tmp_path):
    model = _Model(seed=0)
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, model)
    layer = L.Linear(3, 5)
    serializers.load_npz(path, layer, path='l1/')
    numpy.testing.assert_array_equal(layer.W.array, model.l1.W.array)


def test_ignore_names(tmp_path):
    model = _Model(seed=0)
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, model)
    other = _Model(seed=1)
    kept = other.l1.W.array.copy()
    serializers.load_npz(path, other, ignore_names=['l1/W', lambda k: k.startswith('l2/')])
    numpy.testing.assert_array_equal(other.l1.W.array, kept)
    numpy.testing.assert_array_equal(other.l1.b.array, model.l1.b.array)
    assert not numpy.array_equal(other.l2.W.array, model.l2.W.array)
    with pytest.raises(TypeError):
        serializers.load_npz(path, other, ignore_names=[3])


def test_truncated_file_is_reported(tmp_path):
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, _Model())
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(SerializedFileError, match='m.npz') as info:
        serializers.load_npz(path, _Model())
    assert isinstance(info.value, ValueError) and isinstance(info.value, OSError)


def test_corrupted_member_is_reported(tmp_path):
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, L.Linear(50, 50, initialW=1.0), compression=False)
    data = bytearray(open(path, 'rb').read())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)  # zero out part of W's payload: the CRC fails
    open(path, 'wb').write(bytes(data))
    with pytest.raises(SerializedFileError, match='corrupted'):
        serializers.load_npz(path, L.Linear(50, 50))


@pytest.mark.parametrize('content', [b'not a zip at all', b''])
def test_garbage_file_is_reported(tmp_path, content):
    path = tmp_path / 'junk.npz'
    path.write_bytes(content)
    with pytest.raises(SerializedFileError, match='junk.npz'):
        serializers.load_npz(str(path), _Model())


def test_single_npy_file_is_reported(tmp_path):
    path = str(tmp_path / 'a.npy')
    numpy.save(path, numpy.zeros(3))
    with pytest.raises(SerializedFileError, match='npz'):
        serializers.load_npz(path, _Model())


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        serializers.load_npz(str(tmp_path / 'none.npz'), _Model())


class _FailingObject:
    """Writes one value, then fails: simulates a crash in the middle of saving."""

    def serialize(self, serializer):
        serializer('a', numpy.zeros(1000))
        raise RuntimeError('crash while saving')


def test_write_is_atomic(tmp_path, monkeypatch):
    path = str(tmp_path / 'm.npz')
    model = _Model(seed=0)
    serializers.save_npz(path, model)
    original = open(path, 'rb').read()
    with pytest.raises(RuntimeError, match='crash'):
        serializers.save_npz(path, _FailingObject())

    def savez_dying_midway(f, **arrays):
        f.write(b'PK partial')
        raise OSError('disk full')

    monkeypatch.setattr(numpy, 'savez_compressed', savez_dying_midway)
    with pytest.raises(OSError, match='disk full'):
        serializers.save_npz(path, _Model(seed=1))
    assert open(path, 'rb').read() == original
    assert os.listdir(tmp_path) == ['m.npz']  # no temporary file left behind


def test_reporter_summary_round_trip(tmp_path):
    summary = dchain.DictSummary()
    summary.add({'loss': 1.0, 'acc': numpy.float32(0.5)})
    summary.add({'loss': 3.0})
    path = str(tmp_path / 's.npz')
    serializers.save_npz(path, summary)
    loaded = dchain.DictSummary()
    serializers.load_npz(path, loaded)
    assert loaded.compute_mean() == pytest.approx({'loss': 2.0, 'acc': 0.5})


def test_scalar_and_string_values_keep_their_type():
    d = serializers.DictionarySerializer()
    d('i', 3)
    d('f', 0.25)
    d('s', 'text')
    d('b', True)
    d('n', numpy.float32(1.5))
    buf = io.BytesIO()
    numpy.savez(buf, **d.target)
    buf.seek(0)
    with numpy.load(buf) as npz:
        r = serializers.NpzDeserializer(npz)
        assert r('i', 0) == 3 and type(r('i', 0)) is int
        assert r('f', 0.0) == 0.25
        assert r('s', '') == 'text'
        assert r('b', False) is True
        assert type(r('n', numpy.float32(0))) is numpy.float32
        numpy.testing.assert_array_equal(r('f', None), 0.25)


def test_chainer_style_none_entry_and_pickled_objects(tmp_path):
    # Chainer stores an uninitialized parameter as numpy.asarray(None): a 0-d object array.
    path = str(tmp_path / 'chainer.npz')
    numpy.savez(path, W=numpy.asarray(None), b=numpy.arange(2, dtype=numpy.float32))
    lazy = L.Linear(None, 2)
    serializers.load_npz(path, lazy)
    assert lazy.W.array is None
    numpy.testing.assert_array_equal(lazy.b.array, [0, 1])
    evil = str(tmp_path / 'objects.npz')
    numpy.savez(evil, W=numpy.array([{'a': 1}, None], dtype=object), b=numpy.zeros(2))
    with pytest.raises(SerializedFileError, match='pickled'):
        serializers.load_npz(evil, L.Linear(None, 2))


def test_path_without_trailing_slash_and_full_path_ignore(tmp_path):
    model = _Model(seed=0)
    path = str(tmp_path / 'm.npz')
    serializers.save_npz(path, model)
    layer = L.Linear(3, 5, initial_bias=9.0)
    serializers.load_npz(path, layer, path='l1', ignore_names='l1/b')
    numpy.testing.assert_array_equal(layer.W.array, model.l1.W.array)
    numpy.testing.assert_array_equal(layer.b.array, 9.0)

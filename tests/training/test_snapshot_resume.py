"""Stopping mid-epoch and resuming with snapshot(autoload=True) gives bitwise-identical
parameters; a corrupted newest snapshot is detected and the previous one is used."""
import os
import warnings

import numpy
import pytest

from dchain import optimizers, serializer as serializer_module
from dchain.training import extensions


def _params(trainer):
    model = trainer.updater.get_optimizer('main').target
    return {name: p.array.copy() for name, p in model.namedparams()}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].tobytes() == b[name].tobytes(), name


def _with_extensions(trainer, autoload=False):
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    trainer.extend(extensions.snapshot(autoload=autoload), trigger=(11, 'iteration'))
    return trainer


@pytest.mark.parametrize('make_optimizer', [lambda: optimizers.MomentumSGD(lr=0.1),
                                            lambda: optimizers.Adam()])
def test_resume_mid_epoch_is_bitwise_identical(make_trainer, tmp_path, make_optimizer):
    # 60 examples, batch 8: 7.5 iterations per epoch, so iteration 11 is mid-epoch and the
    # run crosses several reshuffles after the resume.
    final = (30, 'iteration')
    full = _with_extensions(make_trainer(tmp_path / 'full', stop=final,
                                         optimizer=make_optimizer()))
    full.run()
    expected = _params(full)

    first = _with_extensions(make_trainer(tmp_path / 'resumed', stop=(11, 'iteration'),
                                          optimizer=make_optimizer()))
    first.run()
    assert first.updater.iteration == 11
    # A different seed for the second process: the snapshot must restore the random state.
    second = _with_extensions(make_trainer(tmp_path / 'resumed', stop=final, seed=123,
                                           optimizer=make_optimizer()), autoload=True)
    second.run()
    assert second.updater.iteration == 30
    _assert_same(_params(second), expected)
    assert second.updater.epoch == full.updater.epoch
    log = second.get_extension('LogReport').log
    assert [e['iteration'] for e in log] == list(range(1, 31))


def test_corrupted_newest_snapshot_falls_back_with_warning(make_trainer, tmp_path):
    first = make_trainer(tmp_path / 'r', stop=(10, 'iteration'))
    first.extend(extensions.snapshot(filename='snap_{.updater.iteration}'),
                 trigger=(5, 'iteration'))
    first.run()
    newest = tmp_path / 'r' / 'snap_10'
    # Flip bytes in the middle of the newest file.
    data = bytearray(newest.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 16):
        data[i] ^= 0xFF
    newest.write_bytes(bytes(data))
    os.utime(newest, None)

    second = make_trainer(tmp_path / 'r', stop=(12, 'iteration'))
    snap = extensions.snapshot(filename='snap_{.updater.iteration}', autoload=True)
    second.extend(snap, trigger=(5, 'iteration'))
    with pytest.warns(RuntimeWarning, match='snap_10.*older snapshot.*snap_5'):
        second.run()
    # Resumed from iteration 5, then trained to 12.
    assert second.updater.iteration == 12


def test_all_snapshots_corrupted_is_an_error(make_trainer, tmp_path):
    out = tmp_path / 'r'
    out.mkdir()
    (out / 'snapshot_iter_3').write_bytes(b'not a zip file')
    trainer = make_trainer(out, stop=(2, 'iteration'))
    trainer.extend(extensions.snapshot(autoload=True))
    with pytest.raises(serializer_module.SerializedFileError, match='none can be loaded'):
        trainer.run()


def test_checksum_mismatch_detected(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'r', stop=(2, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    trainer.run()
    path = str(tmp_path / 'r' / 'snapshot_iter_2')
    arrays = dict(numpy.load(path))
    key = 'updater/model:main/predictor/0/W'
    arrays[key] = arrays[key] + 1  # a valid npz whose contents no longer match its checksum
    with open(path, 'wb') as f:
        numpy.savez(f, **arrays)
    with pytest.raises(serializer_module.SerializedFileError, match='checksum'):
        extensions._snapshot.read_snapshot(path)


def test_n_retains_keeps_newest(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'r', stop=(6, 'iteration'))
    trainer.extend(extensions.snapshot(n_retains=2), trigger=(1, 'iteration'))
    trainer.run()
    names = sorted(os.listdir(tmp_path / 'r'))
    assert names == ['snapshot_iter_5', 'snapshot_iter_6']


def test_snapshot_object_and_no_leftover_temp_files(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'r', stop=(1, 'epoch'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.snapshot_object(model.predictor, 'model_epoch{.updater.epoch}'))
    trainer.run()
    assert os.listdir(tmp_path / 'r') == ['model_epoch1']
    fresh = make_trainer(tmp_path / 'x', stop=(1, 'epoch'))
    predictor = fresh.updater.get_optimizer('main').target.predictor
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        extensions._snapshot.load_snapshot(str(tmp_path / 'r' / 'model_epoch1'), predictor)
    numpy.testing.assert_array_equal(predictor[0].W.array, model.predictor[0].W.array)


def test_resume_with_lr_schedule_and_evaluator_is_bitwise_identical(make_trainer, tmp_path):
    # The schedule's value is not part of the optimizer state: the extension restores it.
    from dchain import iterators
    from dchain.datasets import TupleDataset

    rng = numpy.random.RandomState(5)
    valid = TupleDataset(rng.randn(16, 5).astype(numpy.float32),
                         rng.randint(0, 2, 16).astype(numpy.int32))

    def build(out, stop, seed=0, autoload=False):
        trainer = make_trainer(out, stop=stop, seed=seed)
        model = trainer.updater.get_optimizer('main').target
        trainer.extend(extensions.ExponentialShift('lr', 0.9), trigger=(1, 'iteration'))
        trainer.extend(extensions.Evaluator(
            iterators.SerialIterator(valid, 8, repeat=False, shuffle=False), model),
            trigger=(4, 'iteration'))
        trainer.extend(extensions.LogReport(trigger=(4, 'iteration')))
        trainer.extend(extensions.snapshot(autoload=autoload), trigger=(9, 'iteration'))
        return trainer

    full = build(tmp_path / 'full', (20, 'iteration'))
    full.run()
    build(tmp_path / 'resumed', (9, 'iteration')).run()
    second = build(tmp_path / 'resumed', (20, 'iteration'), seed=99, autoload=True)
    second.run()
    _assert_same(_params(second), _params(full))
    assert second.updater.get_optimizer('main').lr == full.updater.get_optimizer('main').lr
    assert [e['validation/main/loss'] for e in second.get_extension('LogReport').log] == \
        [e['validation/main/loss'] for e in full.get_extension('LogReport').log]


def test_snapshot_on_error_and_condition(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'r', stop=(10, 'iteration'))
    trainer.extend(extensions.snapshot(filename='crash_{.updater.iteration}',
                                       snapshot_on_error=True), trigger=(100, 'iteration'))
    trainer.extend(extensions.snapshot(filename='even_{.updater.iteration}',
                                       condition=lambda: trainer.updater.iteration % 2 == 0),
                   trigger=(1, 'iteration'))

    def fail(tr):
        if tr.updater.iteration == 5:
            raise RuntimeError('stop here')
    trainer.extend(fail)
    with pytest.raises(RuntimeError, match='stop here'):
        trainer.run(show_loop_exception_msg=False)
    names = sorted(os.listdir(tmp_path / 'r'))
    assert names == ['crash_5', 'even_2', 'even_4']
    extensions._snapshot.read_snapshot(str(tmp_path / 'r' / 'crash_5'))

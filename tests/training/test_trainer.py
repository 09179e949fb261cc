"""Trainer: stop trigger, extend (names, triggers, priorities), run, get_extension,
elapsed_time, observation, serialize, and error handling that finalizes and re-raises."""
import numpy
import pytest

from dchain import serializers, training
from dchain.training import extensions


def test_stop_trigger_and_observation(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'out', stop=(7, 'iteration'))
    seen = []

    def record(tr):
        seen.append((tr.updater.iteration, sorted(tr.observation)))
    trainer.extend(record)
    trainer.run()
    assert trainer.updater.iteration == 7
    assert [i for i, _ in seen] == list(range(1, 8))
    assert seen[0][1] == ['main/accuracy', 'main/loss']
    assert (tmp_path / 'out').is_dir()
    assert trainer.elapsed_time > 0
    with pytest.raises(RuntimeError, match='already run'):
        trainer.run()


def test_epoch_stop_trigger(make_trainer, tmp_path):
    # 60 examples, batch 8: two epochs end during iteration 15.
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    trainer.run()
    assert trainer.updater.epoch == 2
    assert trainer.updater.iteration == 15


def test_extend_names_triggers_priorities(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(4, 'iteration'))
    calls = []

    @training.make_extension(trigger=(2, 'iteration'), priority=training.PRIORITY_WRITER)
    def writer(tr):
        calls.append(('writer', tr.updater.iteration))

    def reader(tr):
        calls.append(('reader', tr.updater.iteration))

    trainer.extend(reader)
    trainer.extend(writer)
    trainer.extend(writer)  # same name again: registered as writer_1
    trainer.extend(reader, name='late', trigger=(4, 'iteration'), priority=-5)
    assert trainer.get_extension('writer') is writer
    assert trainer.get_extension('writer_1') is writer
    trainer.run()
    assert calls == [('reader', 1),
                     ('writer', 2), ('writer', 2), ('reader', 2),
                     ('reader', 3),
                     ('writer', 4), ('writer', 4), ('reader', 4), ('reader', 4)]
    with pytest.raises(ValueError, match='not registered'):
        trainer.get_extension('nope')


def test_extend_rejects_reserved_name_and_non_callables(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path)
    with pytest.raises(ValueError, match='reserved'):
        trainer.extend(lambda tr: None, name='training')
    with pytest.raises(TypeError, match='callable'):
        trainer.extend(42)


def test_unknown_trigger_unit_is_a_clear_error(make_trainer, tmp_path):
    with pytest.raises(ValueError, match="unknown trigger unit 'epochs'.*'iteration' or 'epoch'"):
        make_trainer(tmp_path, stop=(3, 'epochs'))
    trainer = make_trainer(tmp_path)
    with pytest.raises(ValueError, match="unknown trigger unit 'iter'"):
        trainer.extend(lambda tr: None, trigger=(1, 'iter'))
    with pytest.raises(TypeError, match='trigger must be'):
        training.get_trigger('epoch')


class _Recorder(training.Extension):

    def __init__(self, fail_at=None):
        self.events = []
        self.fail_at = fail_at

    def initialize(self, trainer):
        self.events.append('initialize')

    def __call__(self, trainer):
        if trainer.updater.iteration == self.fail_at:
            raise ValueError('boom')

    def on_error(self, trainer, exc, tb):
        self.events.append(('on_error', type(exc).__name__, tb is not None))

    def finalize(self, trainer=None):
        self.events.append('finalize')


def test_extension_error_finalizes_and_reraises_with_context(make_trainer, tmp_path, capsys):
    trainer = make_trainer(tmp_path, stop=(10, 'iteration'))
    failing = _Recorder(fail_at=3)
    bystander = _Recorder()
    legacy_finalized = []

    @training.make_extension(finalizer=lambda: legacy_finalized.append(True))
    def legacy(tr):
        pass
    trainer.extend(failing, name='failing')
    trainer.extend(bystander, name='bystander')
    trainer.extend(legacy)
    with pytest.raises(ValueError, match='boom') as info:
        trainer.run()
    note = '\n'.join(getattr(info.value, '__notes__', []))
    assert "extension 'failing'" in note and 'iteration 3' in note
    for ext in (failing, bystander):
        assert ext.events == ['initialize', ('on_error', 'ValueError', True), 'finalize']
    assert legacy_finalized == [True]
    assert "extension 'failing'" in capsys.readouterr().err


def test_updater_error_is_reported(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(10, 'iteration'))
    recorder = _Recorder()
    trainer.extend(recorder)

    def broken_update():
        raise RuntimeError('data went missing')
    trainer.updater.update = broken_update
    with pytest.raises(RuntimeError, match='data went missing') as info:
        trainer.run(show_loop_exception_msg=False)
    assert 'in the updater at iteration 0' in '\n'.join(info.value.__notes__)
    assert recorder.events[-1] == 'finalize'


def test_elapsed_time_before_run_is_an_error(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path)
    with pytest.raises(RuntimeError, match='before the training starts'):
        _ = trainer.elapsed_time


def test_serialize_round_trip_through_save_npz(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path / 'a', stop=(5, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    trainer.run()
    path = str(tmp_path / 'trainer.npz')
    serializers.save_npz(path, trainer)

    resumed = make_trainer(tmp_path / 'b', stop=(5, 'iteration'), seed=7)
    resumed.extend(extensions.LogReport(trigger=(1, 'iteration')))
    serializers.load_npz(path, resumed)
    assert resumed.updater.iteration == 5
    assert resumed.get_extension('LogReport').log == trainer.get_extension('LogReport').log
    a = trainer.updater.get_optimizer('main').target
    b = resumed.updater.get_optimizer('main').target
    for (name, p), (_, q) in zip(a.namedparams(), b.namedparams()):
        numpy.testing.assert_array_equal(p.array, q.array, err_msg=name)
    assert resumed.updater.get_optimizer('main').t == 5
    resumed.run()  # the stop trigger already holds: nothing more is done
    assert resumed.updater.iteration == 5


def test_extensions_argument_and_call_before_training(make_trainer, tmp_path):
    seen = []
    trainer = make_trainer(tmp_path, stop=(2, 'iteration'))
    trainer.extend(lambda tr: seen.append(tr.updater.iteration), name='probe',
                   trigger=(10, 'iteration'), call_before_training=True)
    trainer.run()
    assert seen == [0]


def test_values_reported_by_child_links_are_named_by_hierarchy(tmp_path):
    # The seed's "Naming rule for the reported values": a report from the predictor of the
    # 'main' optimizer's target appears as 'main/predictor/<key>'.
    import io

    import dchain
    import dchain.functions as F
    import dchain.links as L
    from dchain import iterators, optimizers, report

    class MLP(dchain.Chain):
        def __init__(self, n_units, n_out):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(None, n_units)
                self.l2 = L.Linear(None, n_out)

        def forward(self, x):
            y = self.l2(F.relu(self.l1(x)))
            report({'sum_y': F.sum(y)}, self)
            return y

    rng = numpy.random.RandomState(0)
    data = list(zip(rng.randn(20, 4).astype(numpy.float32),
                    rng.randint(0, 3, 20).astype(numpy.int32)))
    model = L.Classifier(MLP(8, 3))
    optimizer = optimizers.SGD()
    optimizer.setup(model)
    updater = training.StandardUpdater(iterators.SerialIterator(data, 10), optimizer)
    trainer = training.Trainer(updater, (1, 'epoch'), out=str(tmp_path))
    trainer.extend(extensions.Evaluator(
        iterators.SerialIterator(data, 10, repeat=False, shuffle=False), model))
    trainer.extend(extensions.LogReport())
    out = io.StringIO()
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/accuracy', 'main/loss', 'main/predictor/sum_y',
         'validation/main/accuracy', 'validation/main/predictor/sum_y'], out=out))
    trainer.run()
    row = out.getvalue().splitlines()[1].split()
    assert len(row) == 6 and row[0] == '1'


def test_a_failing_finalizer_does_not_skip_the_others(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'iteration'))
    recorder = _Recorder()

    class BadFinalize(training.Extension):
        def __call__(self, tr):
            pass

        def finalize(self, trainer=None):
            raise OSError('disk gone')
    trainer.extend(BadFinalize(), priority=500)
    trainer.extend(recorder)
    with pytest.raises(OSError, match='disk gone'):
        trainer.run()
    assert recorder.events[-1] == 'finalize'
    # When the loop fails too, its exception is the one raised.
    trainer = make_trainer(tmp_path, stop=(2, 'iteration'), seed=1)
    trainer.extend(BadFinalize(), priority=500)
    trainer.extend(_Recorder(fail_at=1))
    with pytest.raises(ValueError, match='boom'):
        trainer.run(show_loop_exception_msg=False)

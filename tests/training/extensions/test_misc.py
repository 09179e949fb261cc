"""FailOnNonNumber, observe_value, ParameterStatistics, MicroAverage, DumpGraph,
unchain_variables, make_extension."""
import numpy
import pytest

import dchain
from dchain import training
from dchain.training import extensions


def test_fail_on_non_number(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(5, 'iteration'))
    model = trainer.updater.get_optimizer('main').target

    @training.make_extension(trigger=(2, 'iteration'), priority=training.PRIORITY_WRITER)
    def poison(tr):
        model.predictor[0].W.array[0, 0] = numpy.nan
    trainer.extend(poison)
    trainer.extend(extensions.FailOnNonNumber())
    with pytest.raises(RuntimeError, match="parameter '/predictor/0/W'.*NaN or infinity.*iteration 2"):
        trainer.run(show_loop_exception_msg=False)


def test_observe_value(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    trainer.extend(extensions.observe_value('it', lambda tr: tr.updater.iteration))
    trainer.extend(extensions.LogReport())
    trainer.run()
    assert [e['it'] for e in trainer.get_extension('LogReport').log] == [8, 15]


def test_parameter_statistics(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.ParameterStatistics(model, trigger=(1, 'iteration')))
    seen = {}
    trainer.extend(lambda tr: seen.update(tr.observation), name='probe')
    trainer.run()
    W = model.predictor[0].W
    assert seen['predictor/0/W/data/mean'] == pytest.approx(float(W.array.mean()), rel=1e-5)
    assert seen['predictor/0/W/grad/max'] == pytest.approx(float(W.grad.max()), rel=1e-5)
    assert seen['predictor/0/W/data/percentile/3'] == pytest.approx(
        float(numpy.median(W.array)), rel=1e-5)
    assert seen['predictor/0/b/data/zeros'] == 0 or 'predictor/0/b/data/zeros' in seen


def test_micro_average(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(4, 'iteration'))
    counts = {1: (3, 4), 2: (1, 4), 3: (2, 2), 4: (0, 10)}

    @training.make_extension(priority=training.PRIORITY_WRITER)
    def count(tr):
        correct, total = counts[tr.updater.iteration]
        dchain.report({'correct': correct, 'total': total})
    trainer.extend(count)
    trainer.extend(extensions.MicroAverage('correct', 'total', 'ratio',
                                           trigger=(2, 'iteration')))
    ratios = []
    trainer.extend(lambda tr: ratios.append(tr.observation.get('ratio')), name='probe')
    trainer.run()
    assert ratios == [None, pytest.approx(4 / 8), None, pytest.approx(2 / 12)]


def test_dump_graph_writes_dot_and_restores_config(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'iteration'))
    trainer.extend(extensions.DumpGraph('main/loss'))
    trainer.run()
    text = (tmp_path / 'cg.dot').read_text()
    assert text.startswith('digraph') and text.rstrip().endswith('}')
    for label in ('SoftmaxCrossEntropy', 'LinearFunction', 'ReLU', 'W', 'b'):
        assert label in text, label
    assert text.count('->') >= 8
    assert dchain.config.keep_graph_on_report is False


def test_dump_graph_missing_key(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, 'iteration'))
    trainer.extend(extensions.DumpGraph('main/nothing'))
    with pytest.raises(KeyError, match='main/nothing'):
        trainer.run(show_loop_exception_msg=False)
    assert dchain.config.keep_graph_on_report is False


def test_unchain_variables(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(1, 'iteration'))
    kept = []
    trainer.extend(lambda tr: kept.append(tr.observation['main/loss']), name='probe')
    trainer.extend(extensions.unchain_variables)
    with dchain.using_config('keep_graph_on_report', True):
        trainer.run()
    assert kept[0].creator is None


def test_make_extension_rejects_unknown_arguments():
    with pytest.raises(TypeError, match='colour'):
        training.make_extension(colour='red')

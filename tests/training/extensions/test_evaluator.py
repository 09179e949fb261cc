"""Evaluator: means over the validation batches, reported as validation/<target>/<key>;
runs in test mode without building graphs; eval_func, dict targets and converters."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain import iterators
from dchain.training import extensions


def _data(n=10, d=3):
    rng = numpy.random.RandomState(1)
    x = rng.randn(n, d).astype(numpy.float32)
    t = rng.randint(0, 2, n).astype(numpy.int32)
    return x, t


class _Probe(dchain.Chain):
    """Records the mode it ran in and reports the batch mean of x[:, 0]."""

    def __init__(self):
        super().__init__()
        self.modes = []

    def forward(self, x, t):
        self.modes.append((dchain.config.train, dchain.config.enable_backprop))
        dchain.report({'mean0': float(x[:, 0].mean())}, self)
        return F.sum(dchain.as_variable(x))


def test_reports_batch_means_in_test_mode():
    x, t = _data()
    probe = _Probe()
    it = iterators.SerialIterator(list(zip(x, t)), 5, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator(it, probe, device=-1)
    evaluator.name = 'validation'
    result = evaluator()
    expected = (x[:5, 0].mean() + x[5:, 0].mean()) / 2
    assert result['validation/main/mean0'] == pytest.approx(expected, rel=1e-6)
    assert probe.modes == [(False, False), (False, False)]
    # Evaluating twice restarts the iterator.
    assert evaluator()['validation/main/mean0'] == pytest.approx(expected, rel=1e-6)


def test_in_a_trainer_reports_validation_keys(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(2, 'epoch'))
    x, t = _data(20, d=5)
    model = trainer.updater.get_optimizer('main').target
    it = iterators.SerialIterator(list(zip(x, t)), 8, repeat=False, shuffle=False)
    trainer.extend(extensions.Evaluator(it, model))
    trainer.extend(extensions.LogReport())
    trainer.run()
    log = trainer.get_extension('LogReport').log
    assert len(log) == 2
    with dchain.no_backprop_mode(), dchain.using_config('train', False):
        losses = [float(F.softmax_cross_entropy(model.predictor(x[i:i + 8]), t[i:i + 8]).array)
                  for i in (0, 8, 16)]
    assert log[-1]['validation/main/loss'] == pytest.approx(numpy.mean(losses), rel=1e-5)
    assert 0 <= log[-1]['validation/main/accuracy'] <= 1


def test_eval_func_and_dict_targets():
    x, t = _data()
    link = L.Linear(3, 2)
    seen = []

    def eval_func(xs, ts):
        seen.append(len(xs))
        dchain.report({'n': len(xs)})
    it = iterators.SerialIterator(list(zip(x, t)), 4, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator({'main': it}, {'main': link, 'other': link},
                                     eval_func=eval_func)
    result = evaluator()
    assert seen == [4, 4, 2]
    assert result['n'] == pytest.approx(10 / 3)
    assert evaluator.get_target('other') is link


def test_repeating_iterator_warns():
    x, t = _data()
    with pytest.warns(UserWarning, match='repeat=False'):
        extensions.Evaluator(iterators.SerialIterator(list(zip(x, t)), 4), L.Linear(3, 2))


def test_progress_bar_on_a_terminal(monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    out = Terminal()
    monkeypatch.setattr('sys.stdout', out)
    x, t = _data()
    it = iterators.SerialIterator(list(zip(x, t)), 4, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator(it, _Probe(), progress_bar=True)
    evaluator.name = 'validation'
    evaluator()
    text = out.getvalue()
    assert '\rvalidation: 4 / 10 examples' in text and '\rvalidation: 10 / 10 examples' in text
    assert text.endswith('\r\033[K')

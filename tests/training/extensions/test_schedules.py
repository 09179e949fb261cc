"""Hyperparameter schedules: values against their formulas, clipping at the target, and
resuming mid-schedule through serialization."""
import math

import numpy
import pytest

from dchain import serializers
from dchain.training import extensions


class _Optimizer:
    lr = 0.1
    alpha = 0.1


class _Updater:

    def __init__(self, optimizer):
        self._optimizer = optimizer

    def get_optimizer(self, name):
        assert name == 'main'
        return self._optimizer


class _Trainer:

    def __init__(self):
        self.optimizer = _Optimizer()
        self.updater = _Updater(self.optimizer)


def _run(ext, n, attr='lr'):
    trainer = _Trainer()
    ext.initialize(trainer)
    values = [getattr(trainer.optimizer, attr)]
    for _ in range(n):
        ext(trainer)
        values.append(getattr(trainer.optimizer, attr))
    return values


@pytest.mark.parametrize('make_ext,formula', [
    (lambda: extensions.ExponentialShift('lr', 0.5),
     lambda t: 0.1 * 0.5 ** t),
    (lambda: extensions.ExponentialShift('lr', 0.5, init=0.2, target=0.03),
     lambda t: max(0.2 * 0.5 ** t, 0.03)),
    (lambda: extensions.LinearShift('lr', (1.0, 0.0), (2, 6)),
     lambda t: 1.0 if t <= 2 else 0.0 if t >= 6 else 1.0 - (t - 2) / 4),
    (lambda: extensions.StepShift('lr', 0.1, 3),
     lambda t: 0.1 * 0.1 ** (t // 3)),
    (lambda: extensions.MultistepShift('lr', 0.5, [2, 5], 1.0),
     lambda t: 1.0 * 0.5 ** ((t >= 2) + (t >= 5))),
    (lambda: extensions.PolynomialShift('lr', 0.5, 8),
     lambda t: 0.1 * max(1 - t / 8, 0) ** 0.5),
    (lambda: extensions.WarmupShift('lr', 0.0, 4),
     lambda t: 0.1 * min(t, 4) / 4),
    (lambda: extensions.InverseShift('lr', 0.5, 2.0, target=0.01),
     lambda t: max(0.1 * (1 + 0.5 * t) ** -2.0, 0.01)),
])
def test_schedule_follows_formula(make_ext, formula):
    values = _run(make_ext(), 10)
    numpy.testing.assert_allclose(values, [formula(t) for t in range(11)], rtol=1e-12)


def test_other_attribute_and_explicit_optimizer():
    trainer = _Trainer()
    other = _Optimizer()
    ext = extensions.ExponentialShift('alpha', 2.0, optimizer=other, target=0.3)
    ext.initialize(trainer)
    for _ in range(3):
        ext(trainer)
    assert other.alpha == 0.3 and trainer.optimizer.alpha == 0.1


def test_resume_continues_the_schedule(tmp_path):
    trainer = _Trainer()
    ext = extensions.StepShift('lr', 0.5, 2)
    ext.initialize(trainer)
    for _ in range(5):
        ext(trainer)
    path = str(tmp_path / 'shift.npz')
    serializers.save_npz(path, ext)

    resumed_trainer = _Trainer()  # its optimizer starts again at lr = 0.1
    resumed_trainer.optimizer.lr = 123.0
    resumed = extensions.StepShift('lr', 0.5, 2)
    serializers.load_npz(path, resumed)
    resumed.initialize(resumed_trainer)
    assert resumed_trainer.optimizer.lr == pytest.approx(0.1 * 0.5 ** 2)
    resumed(resumed_trainer)
    ext(trainer)
    assert resumed_trainer.optimizer.lr == trainer.optimizer.lr == pytest.approx(0.1 * 0.5 ** 3)


def test_bad_arguments():
    with pytest.raises(ValueError, match='rate'):
        extensions.ExponentialShift('lr', -1)
    with pytest.raises(ValueError, match='time_range'):
        extensions.LinearShift('lr', (1, 0), (5, 5))
    with pytest.raises(ValueError, match='step'):
        extensions.StepShift('lr', 0.1, 0)
    with pytest.raises(ValueError, match='max_count'):
        extensions.PolynomialShift('lr', 0.5, (3, 'epoch'))
    with pytest.raises(ValueError, match='warmup_iter'):
        extensions.WarmupShift('lr', 0.0, 0)
    assert math.isclose(_run(extensions.PolynomialShift('lr', 1.0, (4, 'iteration')), 5)[-1], 0)


def test_lr_schedule_in_a_trainer(make_trainer, tmp_path):
    trainer = make_trainer(tmp_path, stop=(3, 'epoch'))
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'epoch'))
    trainer.extend(extensions.observe_lr(), trigger=(1, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.run()
    lrs = [e['lr'] for e in trainer.get_extension('LogReport').log]
    # observe_lr (a writer) runs before the shift (an editor) in the same iteration.
    assert lrs == pytest.approx([0.1, 0.05, 0.025])

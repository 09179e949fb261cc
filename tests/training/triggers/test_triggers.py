"""Triggers on a fake updater walking a 10-example dataset in batches of 3 (epoch_detail
advances by 0.3 per iteration)."""
import pytest

from dchain.training import get_trigger, triggers


class _Updater:

    def __init__(self, batch=3, n=10):
        self.iteration = 0
        self.batch, self.n = batch, n
        self.previous_epoch_detail = None

    @property
    def epoch_detail(self):
        return self.iteration * self.batch / self.n

    @property
    def epoch(self):
        return int(self.epoch_detail)

    def update(self):
        self.previous_epoch_detail = self.epoch_detail
        self.iteration += 1


class _Trainer:

    def __init__(self):
        self.updater = _Updater()
        self.observation = {}
        self.elapsed_time = 0.0


def _fires(trigger, n, observe=None):
    trainer = _Trainer()
    fired = []
    for _ in range(n):
        trainer.updater.update()
        trainer.observation = observe(trainer.updater.iteration) if observe else {}
        if trigger(trainer):
            fired.append(trainer.updater.iteration)
    return fired


def test_interval_iteration():
    assert _fires(triggers.IntervalTrigger(3, 'iteration'), 10) == [3, 6, 9]


def test_interval_epoch_fires_on_the_iteration_crossing_the_boundary():
    # epoch_detail: 0.3 0.6 0.9 1.2 1.5 1.8 2.1 ... -> crosses 1 at iteration 4, 2 at 7.
    assert _fires(triggers.IntervalTrigger(1, 'epoch'), 10) == [4, 7, 10]
    assert _fires(triggers.IntervalTrigger(0.5, 'epoch'), 7) == [2, 4, 5, 7]


def test_get_trigger_forms():
    assert isinstance(get_trigger((2, 'epoch')), triggers.IntervalTrigger)
    assert _fires(get_trigger(None), 5) == []
    func = lambda trainer: True  # noqa: E731
    assert get_trigger(func) is func
    with pytest.raises(ValueError, match="unknown trigger unit 'minute'"):
        get_trigger((1, 'minute'))
    with pytest.raises(ValueError, match='positive'):
        get_trigger((0, 'iteration'))
    assert triggers.IntervalTrigger(5, 'epoch').get_training_length() == (5, 'epoch')


def test_manual_schedule():
    assert _fires(triggers.ManualScheduleTrigger([2, 5], 'iteration'), 8) == [2, 5]
    assert _fires(triggers.ManualScheduleTrigger(1, 'epoch'), 8) == [4]
    with pytest.raises(ValueError, match='unknown trigger unit'):
        triggers.ManualScheduleTrigger(1, 'epochs')


def test_once_trigger():
    assert _fires(triggers.OnceTrigger(), 4) == [1]


def test_time_trigger():
    trainer = _Trainer()
    trigger = triggers.TimeTrigger(1.0)
    results = []
    for t in (0.5, 1.2, 1.5, 2.1, 4.5):
        trainer.elapsed_time = t
        results.append(trigger(trainer))
    assert results == [False, True, False, True, True]


def test_max_and_min_value_triggers():
    values = {1: 0.5, 2: 0.3, 3: 0.9, 4: 0.2, 5: 0.95, 6: 0.1}

    def observe(i):
        return {'acc': values[i]}
    check = (1, 'iteration')
    assert _fires(triggers.MaxValueTrigger('acc', check), 6, observe) == [1, 3, 5]
    assert _fires(triggers.MinValueTrigger('acc', check), 6, observe) == [1, 2, 4, 6]


def test_early_stopping():
    losses = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.6]

    def observe(i):
        return {'main/loss': losses[i - 1]}
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'), patience=3,
                                            max_trigger=(100, 'iteration'))
    # Best 0.7 at iteration 3; no improvement at 4, 5, 6 -> stop at 6.
    assert _fires(trigger, 8, observe)[0] == 6
    stop_by_max = triggers.EarlyStoppingTrigger(monitor='main/loss', patience=100,
                                                check_trigger=(1, 'iteration'),
                                                max_trigger=(5, 'iteration'))
    assert _fires(stop_by_max, 8, observe)[0] == 5
    with pytest.raises(ValueError, match='mode'):
        triggers.EarlyStoppingTrigger(mode='largest')

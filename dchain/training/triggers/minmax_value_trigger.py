"""BestValueTrigger, MaxValueTrigger, MinValueTrigger: fire when a watched value improves."""
import math

from dchain import reporter as reporter_module
from dchain.training import trigger as trigger_module


class BestValueTrigger:
    """Fires when ``key``'s mean over the last interval beats the best seen so far.

    Args:
        key (str): the observation key to watch (e.g. ``'validation/main/loss'``).
        compare: ``compare(best, current)`` is True when ``current`` is better.
        trigger: how often the value is compared (``(1, 'epoch')`` by default).
    """

    def __init__(self, key, compare, trigger=(1, 'epoch')):
        self._key = key
        self._best_value = None
        self._interval_trigger = trigger_module.get_trigger(trigger)
        self._init_summary()
        self._compare = compare

    def __call__(self, trainer):
        observation = trainer.observation
        summary = self._summary
        if self._key in observation:
            summary.add({self._key: observation[self._key]})
        if not self._interval_trigger(trainer):
            return False
        stats = summary.compute_mean()
        self._init_summary()
        if self._key not in stats:
            return False
        value = float(stats[self._key])
        if self._best_value is None or self._compare(self._best_value, value):
            self._best_value = value
            return True
        return False

    def _init_summary(self):
        self._summary = reporter_module.DictSummary()

    def serialize(self, serializer):
        if hasattr(self._interval_trigger, 'serialize'):
            self._interval_trigger.serialize(serializer['interval_trigger'])
        self._summary.serialize(serializer['summary'])
        best = serializer('best_value', float('nan') if self._best_value is None
                          else self._best_value)
        best = float(best)
        self._best_value = None if math.isnan(best) else best


class MaxValueTrigger(BestValueTrigger):
    """Fires when ``key`` reaches a new maximum (checked every ``trigger``)."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda best, current: current > best, trigger)


class MinValueTrigger(BestValueTrigger):
    """Fires when ``key`` reaches a new minimum (checked every ``trigger``)."""

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda best, current: current < best, trigger)

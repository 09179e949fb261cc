"""MicroAverage: reports the ratio of two summed observations (e.g. a corpus-level accuracy)."""
from dchain import reporter
from dchain.training import extension
from dchain.training import trigger as trigger_module


class MicroAverage(extension.Extension):
    """Sum ``numerator_key`` and ``denominator_key`` over each ``trigger`` interval and report
    their ratio as ``result_key``.

    Unlike LogReport's mean of per-batch ratios, this weighs every example the same when
    batches differ in size (e.g. tokens per sentence).
    """

    priority = extension.PRIORITY_EDITOR

    def __init__(self, numerator_key, denominator_key, result_key, trigger=(1, 'epoch')):
        self._trigger = trigger_module.get_trigger(trigger)
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._numerator = 0.0
        self._denominator = 0.0

    def __call__(self, trainer):
        observation = trainer.observation
        if self._numerator_key in observation and self._denominator_key in observation:
            self._numerator += float(_value(observation[self._numerator_key]))
            self._denominator += float(_value(observation[self._denominator_key]))
        if self._trigger(trainer):
            if self._denominator:
                result = self._numerator / self._denominator
            else:
                result = float('nan')
            reporter.report({self._result_key: result})
            self._numerator = 0.0
            self._denominator = 0.0

    def serialize(self, serializer):
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._numerator = float(serializer('_numerator', self._numerator))
        self._denominator = float(serializer('_denominator', self._denominator))


def _value(x):
    return getattr(x, 'array', x)

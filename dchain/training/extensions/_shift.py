"""Base of the hyperparameter schedules (ExponentialShift, LinearShift, ...)."""
import numpy

from dchain.training import extension


class ScheduleShift(extension.Extension):
    """Sets ``optimizer.<attr>`` to ``self.value_at(t)`` after the t-th call.

    Before training (and after a resume) the value for the current ``t`` is set, so a
    resumed run continues the schedule where it stopped. Subclasses implement
    :meth:`value_at`; the optimizer's current value is ``self._init`` unless ``init`` is given.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR

    def __init__(self, attr, init=None, optimizer=None):
        self._attr = attr
        self._init = init
        self._optimizer = optimizer
        self._t = 0
        self._last_value = None

    def value_at(self, t):
        raise NotImplementedError

    def _get_optimizer(self, trainer):
        return self._optimizer or trainer.updater.get_optimizer('main')

    def initialize(self, trainer):
        optimizer = self._get_optimizer(trainer)
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        if self._last_value is not None:
            value = self._last_value
        else:
            value = self.value_at(self._t)
        self._set(optimizer, value)

    def __call__(self, trainer):
        self._t += 1
        self._set(self._get_optimizer(trainer), self.value_at(self._t))

    def _set(self, optimizer, value):
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def serialize(self, serializer):
        self._t = int(serializer('_t', self._t))
        last = serializer('_last_value', numpy.nan if self._last_value is None
                          else self._last_value)
        last = float(numpy.asarray(last))
        self._last_value = None if numpy.isnan(last) else last
        init = serializer('_init', numpy.nan if self._init is None else self._init)
        init = float(numpy.asarray(init))
        if not numpy.isnan(init):
            self._init = init

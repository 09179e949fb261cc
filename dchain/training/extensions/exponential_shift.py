"""ExponentialShift: multiplies a hyperparameter by ``rate`` at every call."""
from dchain.training.extensions import _shift


class ExponentialShift(_shift.ScheduleShift):
    """``value = init * rate ** t``, clipped at ``target`` when given.

    Args:
        attr (str): the optimizer attribute (e.g. ``'lr'``).
        rate (float): factor per call.
        init (float): initial value (the optimizer's current value when None).
        target (float): bound the value does not cross.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, rate, init=None, target=None, optimizer=None):
        if rate < 0:
            raise ValueError('ExponentialShift rate must be non-negative, got {!r}'.format(rate))
        super().__init__(attr, init, optimizer)
        self._rate = rate
        self._target = target

    def value_at(self, t):
        value = self._init * self._rate ** t
        target = self._target
        if target is not None:
            if (self._rate > 1 and value > target) or (self._rate < 1 and value < target):
                value = target
        return value

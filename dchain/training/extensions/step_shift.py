"""StepShift: multiplies a hyperparameter by ``gamma`` every ``step`` calls."""
from dchain.training.extensions import _shift


class StepShift(_shift.ScheduleShift):
    """``value = init * gamma ** (t // step)``, clipped at ``target`` when given.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): factor per step.
        step (int): calls per step.
        init (float): initial value (the optimizer's current value when None).
        target (float): bound the value does not cross.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, gamma, step, init=None, target=None, optimizer=None):
        if step <= 0:
            raise ValueError('StepShift step must be positive, got {!r}'.format(step))
        super().__init__(attr, init, optimizer)
        self._gamma = gamma
        self._step = step
        self._target = target

    def value_at(self, t):
        value = self._init * self._gamma ** (t // self._step)
        target = self._target
        if target is not None:
            if (self._gamma > 1 and value > target) or (self._gamma < 1 and value < target):
                value = target
        return value

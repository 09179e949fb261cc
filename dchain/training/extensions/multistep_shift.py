"""MultistepShift: multiplies a hyperparameter by ``gamma`` at each listed call."""
import bisect

from dchain.training.extensions import _shift


class MultistepShift(_shift.ScheduleShift):
    """``value = init * gamma ** k`` where ``k`` is how many of ``step_value`` are <= t.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): factor per step.
        step_value (list of int): calls at which the value is multiplied.
        init (float): initial value.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, gamma, step_value, init, optimizer=None):
        super().__init__(attr, init, optimizer)
        self._gamma = gamma
        self._steps = sorted(step_value)

    def value_at(self, t):
        return self._init * self._gamma ** bisect.bisect_right(self._steps, t)

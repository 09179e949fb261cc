"""LinearShift: moves a hyperparameter linearly between two values over a range of calls."""
from dchain.training.extensions import _shift


class LinearShift(_shift.ScheduleShift):
    """``value_range[0]`` until call ``time_range[0]``, ``value_range[1]`` from call
    ``time_range[1]``, linear in between.

    Args:
        attr (str): the optimizer attribute.
        value_range (tuple): ``(start value, end value)``.
        time_range (tuple): ``(start call, end call)``.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, value_range, time_range, optimizer=None):
        if time_range[1] <= time_range[0]:
            raise ValueError('time_range must be increasing, got {!r}'.format(time_range))
        super().__init__(attr, value_range[0], optimizer)
        self._value_range = value_range
        self._time_range = time_range

    def value_at(self, t):
        (v1, v2), (t1, t2) = self._value_range, self._time_range
        if t <= t1:
            return v1
        if t >= t2:
            return v2
        return v1 + (v2 - v1) * (t - t1) / (t2 - t1)

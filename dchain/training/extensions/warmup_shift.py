"""WarmupShift: raises a hyperparameter linearly to its value over the first calls."""
from dchain.training.extensions import _shift


class WarmupShift(_shift.ScheduleShift):
    """From ``warmup_start`` to ``init`` linearly over ``warmup_iter`` calls, then ``init``.

    Args:
        attr (str): the optimizer attribute.
        warmup_start (float): value at the start.
        warmup_iter (int): calls the warm-up lasts.
        init (float): value after the warm-up (the optimizer's current value when None).
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, warmup_start, warmup_iter, init=None, optimizer=None):
        if warmup_iter <= 0:
            raise ValueError('warmup_iter must be positive, got {!r}'.format(warmup_iter))
        super().__init__(attr, init, optimizer)
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter

    def value_at(self, t):
        if t >= self._warmup_iter:
            return self._init
        return self._warmup_start + (self._init - self._warmup_start) * t / self._warmup_iter

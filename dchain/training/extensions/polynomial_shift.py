"""PolynomialShift: decays a hyperparameter as ``(1 - t / max_count) ** rate``."""
from dchain.training.extensions import _shift


class PolynomialShift(_shift.ScheduleShift):
    """``value = init * (1 - t / max_count) ** rate`` (0 after ``max_count`` calls), kept
    at or above ``target`` when given.

    Args:
        attr (str): the optimizer attribute.
        rate (float): the exponent.
        max_count (int): calls until the value reaches 0; a ``(n, 'iteration')`` tuple is
            accepted too.
        init (float): initial value (the optimizer's current value when None).
        target (float): lower bound.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, rate, max_count, init=None, target=None, optimizer=None):
        if isinstance(max_count, tuple):
            if max_count[1] != 'iteration':
                raise ValueError("PolynomialShift max_count must count iterations, got "
                                 "{!r}".format(max_count))
            max_count = max_count[0]
        if max_count <= 0:
            raise ValueError('max_count must be positive, got {!r}'.format(max_count))
        super().__init__(attr, init, optimizer)
        self._rate = rate
        self._max_count = max_count
        self._target = target

    def value_at(self, t):
        fraction = max(1.0 - t / self._max_count, 0.0)
        value = self._init * fraction ** self._rate
        if self._target is not None and value < self._target:
            value = self._target
        return value

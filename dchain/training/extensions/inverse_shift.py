"""InverseShift: decays a hyperparameter as ``(1 + gamma * t) ** -power``."""
from dchain.training.extensions import _shift


class InverseShift(_shift.ScheduleShift):
    """``value = init * (1 + gamma * t) ** (-power)``, kept at or above ``target``.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): the decay speed.
        power (float): the exponent.
        init (float): initial value (the optimizer's current value when None).
        target (float): lower bound.
        optimizer: the optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, gamma, power, init=None, target=None, optimizer=None):
        if gamma < 0:
            raise ValueError('InverseShift gamma must be non-negative, got {!r}'.format(gamma))
        super().__init__(attr, init, optimizer)
        self._gamma = gamma
        self._power = power
        self._target = target

    def value_at(self, t):
        value = self._init * (1 + self._gamma * t) ** (-self._power)
        if self._target is not None and value < self._target:
            value = self._target
        return value

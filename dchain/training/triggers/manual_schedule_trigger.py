"""ManualScheduleTrigger: fires at listed iterations or epochs."""
import numbers

from dchain.training.triggers.interval_trigger import check_unit


class ManualScheduleTrigger:
    """Fires when training reaches one of the given points.

    Args:
        points (int, float or list of them): iterations or epochs at which to fire.
        unit (str): ``'iteration'`` or ``'epoch'``.
    """

    def __init__(self, points, unit):
        check_unit(unit)
        if isinstance(points, numbers.Real):
            points = [points]
        self.points = sorted(points)
        self.unit = unit
        self.finished = False

    def __call__(self, trainer):
        updater = trainer.updater
        if self.unit == 'epoch':
            current = updater.epoch_detail
            previous = updater.previous_epoch_detail
            if previous is None:
                return False
        else:
            current = updater.iteration
            previous = current - 1
        fire = any(previous < p <= current for p in self.points)
        self.finished = current >= self.points[-1] if self.points else True
        return fire

    def get_training_length(self):
        return (self.points[-1] if self.points else 0), self.unit

    def serialize(self, serializer):
        self.finished = bool(serializer('finished', self.finished))

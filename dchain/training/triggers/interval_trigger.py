"""IntervalTrigger: fires every ``period`` iterations or epochs."""
import numbers

_UNITS = ('iteration', 'epoch')


def check_unit(unit, what='trigger'):
    """Raise a ValueError naming the accepted units unless ``unit`` is one of them."""
    if unit not in _UNITS:
        raise ValueError("unknown {} unit {!r}: expected 'iteration' or 'epoch'".format(
            what, unit))


class IntervalTrigger:
    """Fires when the iteration count (or epoch count) crosses a multiple of ``period``.

    The decision depends only on the updater's progress (the current and previous epoch
    detail, or the iteration), so a trainer resumed from a snapshot fires at the same points
    as an uninterrupted one, and the trigger has no state of its own to save.

    Args:
        period (int or float): the interval; fractional periods are allowed for epochs.
        unit (str): ``'iteration'`` or ``'epoch'``.
    """

    def __init__(self, period, unit):
        check_unit(unit)
        if not isinstance(period, numbers.Real) or isinstance(period, bool) or period <= 0:
            raise ValueError('trigger period must be a positive number, got {!r}'.format(period))
        if unit == 'iteration' and period != int(period):
            raise ValueError('an iteration period must be a whole number, got {!r}'.format(
                period))
        self.period = period
        self.unit = unit

    def __call__(self, trainer):
        updater = trainer.updater
        if self.unit == 'epoch':
            previous = updater.previous_epoch_detail
            if previous is None:
                return False
            return previous // self.period != updater.epoch_detail // self.period
        iteration = updater.iteration
        return iteration > 0 and iteration % self.period == 0

    def get_training_length(self):
        """``(period, unit)``: how long training runs when this is the stop trigger."""
        return self.period, self.unit

    def __repr__(self):
        return 'IntervalTrigger({}, {!r})'.format(self.period, self.unit)

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

    For epochs it compares the current ``epoch_detail`` with the one it saw at its previous
    call, so updaters that read several batches per update (truncated BPTT) and iterators
    without ``previous_epoch_detail`` still fire. On its first call (also right after a resume
    from a snapshot) it uses the updater's ``previous_epoch_detail`` instead, so a resumed
    trainer fires at the same points as an uninterrupted one without saving trigger state.

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
        self._previous_epoch_detail = None

    def __call__(self, trainer):
        updater = trainer.updater
        if self.unit == 'epoch':
            current = updater.epoch_detail
            previous = self._previous_epoch_detail
            if previous is None:
                previous = getattr(updater, 'previous_epoch_detail', None)
            self._previous_epoch_detail = current
            if previous is None:
                return False
            return previous // self.period != current // self.period
        iteration = updater.iteration
        return iteration > 0 and iteration % self.period == 0

    def get_training_length(self):
        """``(period, unit)``: how long training runs when this is the stop trigger."""
        return self.period, self.unit

    def __repr__(self):
        return 'IntervalTrigger({}, {!r})'.format(self.period, self.unit)

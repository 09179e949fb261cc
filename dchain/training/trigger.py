"""get_trigger: turn ``None``, ``(period, unit)`` or a callable into a trigger."""


def _never(trainer):
    return False


def get_trigger(trigger):
    """Return a trigger object.

    ``None`` gives a trigger that never fires; a ``(period, unit)`` tuple gives an
    :class:`~dchain.training.triggers.IntervalTrigger`; a callable is returned as it is.

    Raises:
        ValueError: the tuple's unit is neither ``'iteration'`` nor ``'epoch'``.
        TypeError: ``trigger`` is none of the above.
    """
    from dchain.training.triggers.interval_trigger import IntervalTrigger
    if trigger is None:
        return _never
    if callable(trigger):
        return trigger
    if isinstance(trigger, (tuple, list)) and len(trigger) == 2:
        return IntervalTrigger(*trigger)
    raise TypeError('a trigger must be None, a (period, unit) tuple or a callable taking the '
                    'trainer, got {!r}'.format(trigger))

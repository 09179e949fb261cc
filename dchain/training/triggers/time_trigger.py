"""TimeTrigger: fires every ``period`` seconds of training time."""


class TimeTrigger:
    """Fires once the trainer's elapsed time passes the next multiple of ``period`` seconds.

    Args:
        period (float): seconds between firings.
    """

    def __init__(self, period):
        if period <= 0:
            raise ValueError('TimeTrigger period must be positive, got {!r}'.format(period))
        self._period = float(period)
        self._next_time = float(period)

    def __call__(self, trainer):
        if trainer.elapsed_time >= self._next_time:
            self._next_time += self._period
            return True
        return False

    def serialize(self, serializer):
        self._next_time = float(serializer('next_time', self._next_time))

"""OnceTrigger: fires once, at the first check (and optionally at the start of training)."""


class OnceTrigger:
    """Fires the first time it is called and never again.

    Args:
        call_on_resume (bool): fire once more after the trainer is resumed from a snapshot.
    """

    def __init__(self, call_on_resume=False):
        self._flag_first = True
        self._flag_resumed = call_on_resume

    def __call__(self, trainer):
        fire = self._flag_first or self._flag_resumed
        self._flag_first = False
        self._flag_resumed = False
        return fire

    @property
    def finished(self):
        return not (self._flag_first or self._flag_resumed)

    def serialize(self, serializer):
        self._flag_first = bool(serializer('_flag_first', self._flag_first))

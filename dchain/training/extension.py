"""Extension: something the Trainer runs between iterations (evaluate, log, snapshot, ...).

An extension is any callable taking the trainer. Attributes read by :meth:`Trainer.extend`
(``trigger``, ``priority``, ``name``/``default_name``) and optional methods ``initialize``,
``finalize``, ``on_error`` and ``serialize`` customize when and how it runs.
"""

#: Extensions that write values into the observation (Evaluator, observe_lr) run first.
PRIORITY_WRITER = 300
#: Extensions that edit observed values run after the writers.
PRIORITY_EDITOR = 200
#: Extensions that only read the observation (LogReport, PrintReport) run last.
PRIORITY_READER = 100


class Extension:
    """Base class of trainer extensions.

    Attributes:
        trigger: default trigger, ``(period, unit)`` or a callable on the trainer.
        priority (int): extensions with a higher priority run first in an iteration.
        name (str): the name the trainer registered this extension under (set by ``extend``).
    """

    trigger = 1, 'iteration'
    priority = PRIORITY_READER
    name = None

    @property
    def default_name(self):
        """Name used when ``extend`` is given none: the class name."""
        return type(self).__name__

    def __call__(self, trainer):
        raise NotImplementedError(
            '{} does not implement __call__(trainer)'.format(type(self).__name__))

    def initialize(self, trainer):
        """Called once before the training loop (also when resuming)."""

    def finalize(self, trainer=None):
        """Called once after the training loop, even when it ends with an exception."""

    def on_error(self, trainer, exc, tb):
        """Called when the training loop raises ``exc`` (before ``finalize``)."""

    def serialize(self, serializer):
        """Save or load the extension's state (part of the trainer snapshot)."""


def make_extension(trigger=None, default_name=None, priority=None, finalizer=None,
                   initializer=None, on_error=None, **kwargs):
    """Decorator giving a function the attributes of an extension.

    Args:
        trigger: default trigger (``(1, 'iteration')`` when None).
        default_name (str): default name (the function's name when None).
        priority (int): default priority (:data:`PRIORITY_READER` when None).
        finalizer: called as ``finalizer(trainer)`` after the training loop.
        initializer: called as ``initializer(trainer)`` before the training loop.
        on_error: called as ``on_error(trainer, exc, tb)`` when the loop raises.
    """
    if kwargs:
        raise TypeError('make_extension() got unexpected keyword arguments: {}'.format(
            ', '.join(sorted(kwargs))))
    if trigger is None:
        trigger = Extension.trigger
    if priority is None:
        priority = Extension.priority

    def decorator(ext):
        ext.trigger = trigger
        ext.default_name = default_name or getattr(ext, '__name__', type(ext).__name__)
        ext.priority = priority
        if finalizer is not None:
            ext.finalize = finalizer
        if initializer is not None:
            ext.initialize = initializer
        if on_error is not None:
            ext.on_error = on_error
        return ext

    return decorator

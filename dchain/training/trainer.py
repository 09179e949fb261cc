"""Trainer: runs an updater until a stop trigger fires, calling extensions along the way."""
import collections
import inspect
import os
import sys
import time
import traceback

import numpy

from dchain import reporter as reporter_module
from dchain import serializer as serializer_module
from dchain.training import extension as extension_module
from dchain.training import trigger as trigger_module


class _ExtensionEntry:

    def __init__(self, extension, priority, trigger, call_before_training):
        self.extension = extension
        self.trigger = trigger
        self.priority = priority
        self.call_before_training = call_before_training


def _call_finalizer(finalize, trainer):
    # Chainer's finalize() takes no argument; newer extensions take the trainer.
    try:
        params = inspect.signature(finalize).parameters.values()
    except (TypeError, ValueError):
        params = ()
    takes_arg = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
                    for p in params)
    if takes_arg:
        finalize(trainer)
    else:
        finalize()


class Trainer:
    """The training loop.

    Every iteration runs ``updater.update()`` inside a reporter scope whose observation is
    ``trainer.observation``, then every extension whose trigger fires, in order of priority
    (higher first). Training ends when ``stop_trigger`` fires.

    Args:
        updater: the updater doing the training steps.
        stop_trigger: ``(length, unit)`` or a trigger; None trains forever.
        out (str): directory for the files extensions write (logs, snapshots, plots).
        extensions (list): extensions to :meth:`extend` with at once.

    Attributes:
        updater, stop_trigger, out: as given.
        observation (dict): what was reported in the current iteration.
        reporter (dchain.Reporter): the reporter; every optimizer's target (and its child
            links) is registered as an observer named after the optimizer (``'main'``,
            ``'main/predictor'``).
    """

    def __init__(self, updater, stop_trigger=None, out='result', extensions=None):
        self.updater = updater
        self.stop_trigger = trigger_module.get_trigger(stop_trigger)
        self.observation = {}
        self.out = out
        reporter = reporter_module.Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            target = optimizer.target
            reporter.add_observer(name, target)
            reporter.add_observers(name, target.namedlinks(skipself=True))
        self.reporter = reporter
        self._done = False
        self._extensions = collections.OrderedDict()
        self._start_at = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time = None
        updater.connect_trainer(self)
        for ext in extensions or ():
            self.extend(ext)
        # Under dchain-launch (or DCHAIN_CONTROL=1) report to the control plane and obey its
        # stop/snapshot requests; otherwise this only reads two environment variables.
        from dchain import control
        control.maybe_extend(self)

    @property
    def is_before_training(self):
        """True until the first iteration is done."""
        return self.updater.iteration == 0

    @property
    def elapsed_time(self):
        """Seconds spent in :meth:`run` (including runs before a resume)."""
        if self._done:
            return self._final_elapsed_time
        if self._start_at is None:
            raise RuntimeError('elapsed_time is not available before the training starts')
        return time.perf_counter() - self._start_at + self._snapshot_elapsed_time

    def extend(self, extension, name=None, trigger=None, priority=None, *,
               call_before_training=False, **kwargs):
        """Register an extension.

        Args:
            extension: a callable on the trainer (usually an :class:`Extension`).
            name (str): registry name; defaults to ``extension.name``, then
                ``extension.default_name``, then the function's name. A taken name gets
                ``_1``, ``_2`` ... appended.
            trigger: when it runs; defaults to ``extension.trigger``, then every iteration.
            priority (int): order within an iteration (higher first); defaults to
                ``extension.priority``, then ``PRIORITY_READER``.
            call_before_training (bool): also run it once before the first iteration.
        """
        if kwargs:
            raise TypeError('extend() got unexpected keyword arguments: {}'.format(
                ', '.join(sorted(kwargs))))
        if not callable(extension):
            raise TypeError('an extension must be callable with the trainer, got {!r}'.format(
                extension))
        if name is None:
            name = getattr(extension, 'name', None) or getattr(extension, 'default_name', None)\
                or getattr(extension, '__name__', None)
        if not name:
            raise TypeError('the extension has no name; pass name= to extend()')
        if name == 'training':
            raise ValueError('"training" is reserved and cannot name an extension')
        if trigger is None:
            trigger = getattr(extension, 'trigger', (1, 'iteration'))
        trigger = trigger_module.get_trigger(trigger)
        if priority is None:
            priority = getattr(extension, 'priority', extension_module.PRIORITY_READER)
        modified_name = name
        ordinal = 0
        while modified_name in self._extensions:
            ordinal += 1
            modified_name = '{}_{}'.format(name, ordinal)
        try:
            extension.name = modified_name
        except AttributeError:
            pass  # bound methods and builtins cannot take attributes; the registry name rules
        self._extensions[modified_name] = _ExtensionEntry(extension, priority, trigger,
                                                          call_before_training)

    def get_extension(self, name):
        """The extension registered as ``name``."""
        try:
            return self._extensions[name].extension
        except KeyError:
            raise ValueError('extension {!r} is not registered; registered: {}'.format(
                name, list(self._extensions))) from None

    def _sorted_extensions(self):
        return sorted(self._extensions.items(), key=lambda item: -item[1].priority)

    def run(self, show_loop_exception_msg=True):
        """Run the training loop until the stop trigger fires.

        If the loop raises, every extension's ``on_error(trainer, exc, tb)`` is called, the
        exception is re-raised with a note saying where it happened (iteration, extension),
        and in all cases every extension's ``finalize`` and the updater's ``finalize`` run.
        """
        if self._done:
            raise RuntimeError('this Trainer has already run; build a new one (and resume it '
                               'from a snapshot) to train further')
        if self.out:
            os.makedirs(self.out, exist_ok=True)
        extensions = self._sorted_extensions()
        self._start_at = time.perf_counter()
        reporter = self.reporter
        stop_trigger = self.stop_trigger
        current = None
        loop_failed = False
        try:
            # Snapshots that autoload go first, so the others initialize from restored state.
            for name, entry in sorted(
                    extensions, key=lambda item: not getattr(item[1].extension, 'autoload',
                                                             False)):
                current = name
                initialize = getattr(entry.extension, 'initialize', None)
                if initialize is not None:
                    initialize(self)
            for name, entry in extensions:
                if entry.call_before_training:
                    current = name
                    with reporter.scope(self.observation):
                        entry.extension(self)
            while not stop_trigger(self):
                current = None
                self.observation = {}
                with reporter.scope(self.observation):
                    self.updater.update()
                    for name, entry in extensions:
                        if entry.trigger(self):
                            current = name
                            entry.extension(self)
                            current = None
        except Exception as exc:
            loop_failed = True
            where = 'at iteration {}'.format(self.updater.iteration)
            if current is not None:
                where = 'in extension {!r} {}'.format(current, where)
            else:
                where = 'in the updater {}'.format(where)
            if hasattr(exc, 'add_note'):
                exc.add_note('(raised {} of the training loop)'.format(where))
            if show_loop_exception_msg:
                print('Exception {} of the training loop: {}: {}'.format(
                    where, type(exc).__name__, exc), file=sys.stderr)
                print('Will finalize trainer extensions and updater before re-raising the '
                      'exception.', file=sys.stderr)
            tb = exc.__traceback__
            for name, entry in extensions:
                on_error = getattr(entry.extension, 'on_error', None)
                if on_error is None:
                    continue
                try:
                    on_error(self, exc, tb)
                except Exception as handler_exc:
                    print('Extension {!r} failed in on_error: {}'.format(name, ''.join(
                        traceback.format_exception_only(type(handler_exc), handler_exc))
                        .strip()), file=sys.stderr)
            raise
        except BaseException:  # KeyboardInterrupt and the like: finalize, then let it through
            loop_failed = True
            raise
        finally:
            # Every finalizer runs even if one fails; a failure surfaces only when the loop
            # itself succeeded (otherwise the loop's exception is the one to see).
            finalize_error = None
            for name, entry in extensions:
                finalize = getattr(entry.extension, 'finalize', None)
                if finalize is None:
                    continue
                try:
                    _call_finalizer(finalize, self)
                except Exception as e:
                    print('Extension {!r} failed in finalize: {}: {}'.format(
                        name, type(e).__name__, e), file=sys.stderr)
                    if finalize_error is None:
                        finalize_error = e
            self.updater.finalize()
            self._final_elapsed_time = self.elapsed_time
            self._done = True
            if finalize_error is not None and not loop_failed:
                raise finalize_error

    def serialize(self, serializer):
        """Save or load the whole training state.

        That is the updater (iterators, optimizers, models, iteration), the stop trigger,
        every extension and its trigger, the elapsed time and the global numpy random state
        (shuffling and dropout draw from it, so a resumed run repeats the same draws).
        """
        self.updater.serialize(serializer['updater'])
        if hasattr(self.stop_trigger, 'serialize'):
            self.stop_trigger.serialize(serializer['stop_trigger'])
        ext_serializer = serializer['extensions']
        trigger_serializer = serializer['extension_triggers']
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, 'serialize'):
                entry.extension.serialize(ext_serializer[name])
            if hasattr(entry.trigger, 'serialize'):
                entry.trigger.serialize(trigger_serializer[name])
        loading = isinstance(serializer, serializer_module.Deserializer)
        elapsed = self._snapshot_elapsed_time if loading or self._start_at is None \
            else self.elapsed_time
        elapsed = serializer('_snapshot_elapsed_time', elapsed)
        if loading:
            self._snapshot_elapsed_time = float(elapsed)
        _serialize_numpy_random(serializer['numpy_random'], loading)


def _serialize_numpy_random(serializer, loading):
    kind, keys, pos, has_gauss, cached = numpy.random.get_state()
    try:
        keys = serializer('keys', keys.copy() if loading else keys)
        pos = serializer('pos', int(pos))
        has_gauss = serializer('has_gauss', int(has_gauss))
        cached = serializer('cached_gaussian', float(cached))
    except KeyError:
        return  # a snapshot written without it (Chainer's layout): leave the generator alone
    if loading:
        numpy.random.set_state((kind, numpy.asarray(keys, dtype=numpy.uint32), int(pos),
                                int(has_gauss), float(cached)))

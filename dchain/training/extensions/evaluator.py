"""Evaluator: runs the model over a validation iterator and reports mean values."""
import copy
import sys
import warnings

from dchain import backend
from dchain.config import no_backprop_mode, using_config
from dchain import reporter as reporter_module
from dchain.dataset import convert
from dchain.training import extension


class Evaluator(extension.Extension):
    """Evaluate ``target`` on every batch of ``iterator`` and report the means.

    The evaluation runs with ``dchain.config.train = False`` and without building graphs
    (``no_backprop_mode``). Values the target reports are collected by a fresh reporter in
    which each target is registered as ``'<extension name>/<target name>'``, so the
    classifier's ``loss`` appears as ``'validation/main/loss'``.

    Args:
        iterator: an iterator, or a dict of them (``'main'`` is used). It should not repeat;
            it is reset (or copied) before each evaluation.
        target: a link, or a dict of links (``'main'`` is used by default).
        converter: ``converter(batch, device)``.
        device: where the batches go (``-1``/``'@numpy'`` or a GPU).
        eval_hook: called as ``eval_hook(evaluator)`` before each evaluation.
        eval_func: called on each converted batch instead of the ``'main'`` target.
        progress_bar (bool): show how many examples are done (on a terminal only).
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(self, iterator, target, converter=convert.concat_examples, device=None,
                 eval_hook=None, eval_func=None, **kwargs):
        progress_bar = kwargs.pop('progress_bar', False)
        if kwargs:
            raise TypeError('Evaluator got unexpected keyword arguments: {}'.format(
                ', '.join(sorted(kwargs))))
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        if not isinstance(target, dict):
            target = {'main': target}
        for name, it in iterator.items():
            if getattr(it, 'repeat', False) is True:
                warnings.warn('the evaluation iterator {!r} repeats, so an evaluation would '
                              'never end: build it with repeat=False'.format(name), stacklevel=2)
        self._iterators = iterator
        self._targets = target
        self.converter = converter
        self.device = None if device is None else backend.get_device(device)
        self.eval_hook = eval_hook
        self.eval_func = eval_func
        self._progress_bar = progress_bar

    def get_iterator(self, name):
        return self._iterators[name]

    def get_all_iterators(self):
        return dict(self._iterators)

    def get_target(self, name):
        return self._targets[name]

    def get_all_targets(self):
        return dict(self._targets)

    def __call__(self, trainer=None):
        """Evaluate, report the result into the current reporter (if any), return it."""
        reporter = reporter_module.Reporter()
        prefix = self.name + '/' if self.name else ''
        for name, target in self._targets.items():
            reporter.add_observer(prefix + name, target)
            if hasattr(target, 'namedlinks'):
                reporter.add_observers(prefix + name, target.namedlinks(skipself=True))
        with reporter:
            with using_config('train', False):
                result = self.evaluate()
        reporter_module.report(result)
        return result

    def evaluate(self):
        """Mean of every reported value over the batches of the ``'main'`` iterator."""
        iterator = self._iterators['main']
        eval_func = self.eval_func or self._targets['main']
        if self.eval_hook is not None:
            self.eval_hook(self)
        if hasattr(iterator, 'reset'):
            iterator.reset()
            it = iterator
        else:
            it = copy.copy(iterator)
        summary = reporter_module.DictSummary()
        done = 0
        dataset = getattr(iterator, 'dataset', None)
        total = len(dataset) if hasattr(dataset, '__len__') else None
        for batch in it:
            observation = {}
            with reporter_module.report_scope(observation):
                in_arrays = convert._call_converter(self.converter, batch, self.device)
                with no_backprop_mode():
                    if isinstance(in_arrays, tuple):
                        eval_func(*in_arrays)
                    elif isinstance(in_arrays, dict):
                        eval_func(**in_arrays)
                    else:
                        eval_func(in_arrays)
            summary.add(observation)
            if self._progress_bar:
                done += len(batch)
                self._show_progress(done, total)
        if self._progress_bar:
            self._show_progress(None, total)
        return summary.compute_mean()

    def _show_progress(self, done, total):
        out = sys.stdout
        try:
            if not out.isatty():
                return
        except (AttributeError, ValueError):
            return
        if done is None:
            out.write('\r\033[K')  # erase the progress line
        else:
            out.write('\r{}: {} / {} examples'.format(self.name or 'evaluation', done,
                                                       '?' if total is None else total))
        out.flush()

"""Reporter, report() and summaries: how values computed anywhere reach the training loop.

Code deep inside a model calls ``dchain.report({'loss': loss}, self)``; whoever runs the step
holds a :class:`Reporter` whose ``scope`` collects those values into an observation dict keyed
``'<observer name>/<key>'`` (e.g. ``'main/loss'``). :class:`Summary` and
:class:`DictSummary` average observations over iterations.
"""
import contextlib
import json
import threading

import numpy

from dchain import backend
from dchain.config import config
from dchain.variable import Variable

_local = threading.local()


def _reporters():
    stack = getattr(_local, 'reporters', None)
    if stack is None:
        stack = _local.reporters = []
    return stack


class Reporter:
    """Collects reported values into the current observation.

    Attributes:
        observation (dict): the dictionary values are written into.
    """

    def __init__(self):
        self._observer_names = {}
        self.observation = {}

    def __enter__(self):
        _reporters().append(self)
        return self

    def __exit__(self, *exc):
        _reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation):
        """Make this reporter current and write reports into ``observation``."""
        old = self.observation
        self.observation = observation
        self.__enter__()
        try:
            yield
        finally:
            self.__exit__(None, None, None)
            self.observation = old

    def add_observer(self, name, observer):
        """Register ``observer`` (any object, usually a link) under ``name``."""
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix, observers):
        """Register ``(name, observer)`` pairs, prefixing each name."""
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values, observer=None):
        """Write ``values`` (a dict) into the observation, keys prefixed by the observer name.

        Variables are stored detached from their graph (unless ``config.keep_graph_on_report``)
        so reporting never keeps a graph alive.
        """
        if not config.keep_graph_on_report:
            values = {k: _detach(v) for k, v in values.items()}
        if observer is not None:
            try:
                name = self._observer_names[id(observer)]
            except KeyError:
                raise KeyError('the observer {} is not registered with this reporter; register '
                               'it with add_observer'.format(type(observer).__name__)) from None
            for key, value in values.items():
                self.observation['{}/{}'.format(name, key)] = value
        else:
            self.observation.update(values)


def _detach(value):
    if isinstance(value, Variable):
        return Variable(value.array, requires_grad=False)
    return value


def get_current_reporter():
    """The innermost active Reporter (raises if none)."""
    stack = _reporters()
    if not stack:
        raise RuntimeError('no reporter is active; use `with reporter.scope(observation):`')
    return stack[-1]


def report(values, observer=None):
    """Report ``values`` to the current reporter; does nothing when none is active."""
    stack = _reporters()
    if stack:
        stack[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation):
    """Collect reports into ``observation`` with the current reporter."""
    with get_current_reporter().scope(observation):
        yield


def _value(value):
    if isinstance(value, Variable):
        value = value.array
    return value


class Summary:
    """Online mean and standard deviation of scalar values (kept on their device)."""

    def __init__(self):
        self._x = 0.0
        self._x2 = 0.0
        self._n = 0.0

    def add(self, value, weight=1):
        """Add a scalar (number, 0-d or 1-element array, or Variable), with ``weight``."""
        value = _value(value)
        if hasattr(value, 'size') and getattr(value, 'size', 1) != 1:
            raise ValueError('Summary.add takes scalars; got an array of shape {}'.format(
                value.shape))
        weight = _value(weight)
        self._x += weight * value
        self._x2 += weight * value * value
        self._n += weight

    def compute_mean(self):
        """Mean of the added values."""
        if not self._n:
            raise ValueError('the summary is empty: no value has been added')
        return self._x / self._n

    def make_statistics(self):
        """``(mean, std)`` of the added values."""
        mean = self.compute_mean()
        var = self._x2 / self._n - mean * mean
        xp = backend.get_array_module(var)
        return mean, xp.sqrt(xp.maximum(var, 0))

    def serialize(self, serializer):
        for name in ('_x', '_x2', '_n'):
            value = getattr(self, name)
            stored = serializer(name[1:], backend.cpu_device.send(value)
                                if not numpy.isscalar(value) else value)
            if stored is not None:
                setattr(self, name, stored)


class DictSummary:
    """A :class:`Summary` per key of the added dictionaries."""

    def __init__(self):
        self._summaries = {}

    def add(self, d):
        """Add the scalar entries of ``d`` (a value or a ``(value, weight)`` pair each).

        Entries that are not scalars (strings, arrays of many elements) are ignored.
        """
        for key, value in d.items():
            weight = 1
            if isinstance(value, tuple):
                value, weight = value
            value = _value(value)
            if numpy.isscalar(value) and not isinstance(value, (str, bytes)) or \
                    getattr(value, 'size', None) == 1:
                summary = self._summaries.get(key)
                if summary is None:
                    summary = self._summaries[key] = Summary()
                summary.add(value, weight)

    def compute_mean(self):
        """``{key: mean}``."""
        return {k: s.compute_mean() for k, s in self._summaries.items()}

    def make_statistics(self):
        """``{key: mean, key + '.std': std}``."""
        stats = {}
        for key, summary in self._summaries.items():
            mean, std = summary.make_statistics()
            stats[key] = mean
            stats[key + '.std'] = std
        return stats

    def serialize(self, serializer):
        keys = list(self._summaries)
        stored = serializer('_names', json.dumps(keys))
        if stored is not None:
            loaded = json.loads(str(stored))
            if loaded != keys:
                keys = loaded
                self._summaries = {k: Summary() for k in keys}
        for key in keys:
            self._summaries[key].serialize(serializer['_summaries'][key])

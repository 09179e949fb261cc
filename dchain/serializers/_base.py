"""Shared parts of the file deserializers: key paths, ``strict``, ``ignore_names``, assignment.

A file holds a flat mapping from slash-separated paths (``'l1/W'``, ``'updater/optimizer:main/t'``)
to arrays; :class:`TreeDeserializer` walks it with ``serializer[name]`` and concrete classes
supply only :meth:`TreeDeserializer._contains` and :meth:`TreeDeserializer._read` (which
returns None for a stored None).
"""
import numpy

from dchain import backend
from dchain import serializer as serializer_module
from dchain.variable import Variable


def to_host_array(value):
    """``value`` (array, Variable, scalar or string) as a host numpy array for storing."""
    if isinstance(value, Variable):
        value = value.array
    if isinstance(value, numpy.ndarray):
        return value
    if backend.get_array_module(value) is not numpy:
        return backend.cpu_device.send(value)
    return numpy.asarray(value)


def _is_array(value):
    return isinstance(value, numpy.ndarray) or backend.get_array_module(value) is not numpy


class TreeDeserializer(serializer_module.Deserializer):
    """Deserializer over a flat path-to-array store.

    Args:
        path (str): prefix of every key read, to load a sub-tree (``'updater/model:main/'``).
        strict (bool): a key missing from the file is an error (``KeyError``); otherwise the
            target value is left as it is.
        ignore_names: a name, a predicate on names, or a list of them; a key matching as a path
            relative to the loaded object (``'l1/W'``) or as its full path in the file is not
            loaded.
        filename: shown in error messages.
    """

    def __init__(self, path='', strict=True, ignore_names=None, filename=None, _rel=''):
        # 'updater/model:main' and 'updater/model:main/' both name the sub-tree.
        self._prefix = path.strip('/') + '/' if path.strip('/') else ''
        self._rel = _rel
        self.strict = strict
        if ignore_names is None:
            ignore_names = []
        elif isinstance(ignore_names, str) or callable(ignore_names):
            ignore_names = [ignore_names]
        for name in ignore_names:
            if not isinstance(name, str) and not callable(name):
                raise TypeError('ignore_names must hold names (str) or predicates, got '
                                '{!r}'.format(name))
        self.ignore_names = list(ignore_names)
        self.filename = filename

    @property
    def path(self):
        """Prefix of the keys this deserializer reads."""
        return self._prefix + self._rel

    def _child(self, rel):
        raise NotImplementedError

    def _contains(self, key):
        raise NotImplementedError

    def _read(self, key):
        raise NotImplementedError

    def _where(self):
        return ' in {}'.format(self.filename) if self.filename is not None else ''

    def __getitem__(self, key):
        return self._child(self._rel + key.strip('/') + '/')

    def _ignored(self, name):
        for ignore in self.ignore_names:
            if ignore == name if isinstance(ignore, str) else ignore(name):
                return True
        return False

    def __call__(self, key, value):
        key = key.strip('/')
        full_key = self.path + key
        if self.ignore_names and (self._ignored(self._rel + key) or self._ignored(full_key)):
            return value
        if not self._contains(full_key):
            if self.strict:
                raise KeyError('key {!r} is not found{}'.format(full_key, self._where()))
            return value
        data = self._read(full_key)
        if data is None:  # the file stores None (an uninitialized parameter)
            return value
        return self._assign(full_key, value, data)

    def _assign(self, key, value, data):
        target = value.array if isinstance(value, Variable) else value
        if target is None:
            if isinstance(value, Variable):
                value.array = data
                return value
            return data
        if _is_array(target):
            if target.shape != data.shape:
                raise ValueError('cannot load {!r}{}: the target has shape {} but the file holds '
                                 'shape {}'.format(key, self._where(), target.shape, data.shape))
            backend.copyto(target, data)
            return value
        if isinstance(value, str):
            item = data.item() if data.size == 1 else data
            return item.decode() if isinstance(item, bytes) else str(item)
        if isinstance(value, (bool, int, float, complex, numpy.generic)):
            if data.size != 1:
                raise ValueError('cannot load {!r}{}: the target is a scalar but the file holds '
                                 'shape {}'.format(key, self._where(), data.shape))
            return type(value)(data.item())
        return data

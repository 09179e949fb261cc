"""Converters: turn a minibatch (list of examples) into arrays on a device.

A converter is called as ``converter(batch, device)``. Functions decorated with
:func:`converter` receive ``device`` already resolved to a :class:`dchain.backend.Device` (or
``None``), whatever specifier the caller gave.
"""
import functools

import numpy

from dchain import backend


class Converter:
    """Base class of converters: override ``__call__(self, batch, device)``.

    ``device`` is a :class:`dchain.backend.Device` or ``None`` (leave arrays where they are).
    """

    def __call__(self, batch, device):
        raise NotImplementedError


def _resolve_device(device):
    return None if device is None else backend.get_device(device)


class _FunctionConverter(Converter):
    """A plain function made into a :class:`Converter` by :func:`converter`."""

    def __init__(self, func):
        self.func = func
        functools.update_wrapper(self, func)

    def __call__(self, batch, device=None, *args, **kwargs):
        return self.func(batch, _resolve_device(device), *args, **kwargs)

    def __repr__(self):
        return '<converter {}>'.format(getattr(self.func, '__qualname__', self.func))


def converter(func=None):
    """Decorator making ``func(batch, device, ...)`` a :class:`Converter`.

    Usable as ``@converter`` or ``@converter()``. The wrapped function receives ``device`` as
    a :class:`dchain.backend.Device` (or ``None``) even if the caller passed ``-1``, ``0`` or
    ``'@numpy'``.
    """
    if func is None:
        return _FunctionConverter
    if not callable(func):
        raise TypeError('converter expects a function, got {!r}'.format(func))
    return _FunctionConverter(func)


def _call_converter(converter_fn, batch, device):
    """Call any converter: Converter objects get a Device, legacy functions the raw spec."""
    if isinstance(converter_fn, Converter):
        return converter_fn(batch, _resolve_device(device))
    return converter_fn(batch, device)


def to_device(device, x):
    """Send ``x`` (an array, or a nested tuple/list/dict of arrays) to ``device``.

    ``device`` is any specifier :func:`dchain.backend.get_device` accepts; ``None`` returns
    ``x`` unchanged.
    """
    if device is None:
        return x
    return backend.get_device(device).send(x)


def _stack(arrays, padding, what):
    first = arrays[0]
    if not hasattr(first, 'shape') or isinstance(first, numpy.generic):
        # Python or numpy scalars (labels): one numpy array of them.
        return numpy.asarray(arrays)
    xp = backend.get_array_module(first)
    if padding is not None:
        return _stack_with_padding(arrays, padding, xp)
    shape = first.shape
    for i, a in enumerate(arrays):
        if a.shape != shape:
            shapes = sorted({tuple(a.shape) for a in arrays})
            raise ValueError(
                'concat_examples: {} have different shapes ({} at example 0, {} at example {}; '
                'all shapes in the batch: {}); pass padding=<value> to pad them to a common '
                'shape'.format(what, shape, a.shape, i, shapes))
    return xp.stack(arrays)


def _stack_with_padding(arrays, padding, xp):
    ndim = arrays[0].ndim
    if any(a.ndim != ndim for a in arrays):
        raise ValueError('concat_examples: cannot pad arrays of different ndim: {}'.format(
            sorted({a.ndim for a in arrays})))
    shape = tuple(max(dims) for dims in zip(*(a.shape for a in arrays)))
    out = xp.full((len(arrays),) + shape, padding, dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[(i,) + tuple(slice(n) for n in a.shape)] = a
    return out


@converter
def concat_examples(batch, device=None, padding=None):
    """Stack a list of examples into batched arrays and send them to ``device``.

    Examples may be arrays (one array out), tuples (a tuple of arrays out, one per position)
    or dicts (a dict of arrays out). Scalars become 1-d arrays.

    Args:
        batch (list): The examples.
        device: Device specifier (``None``: leave arrays on the host/their device).
        padding: If not ``None``, arrays of different shapes are padded with this value to
            the elementwise maximum shape. A tuple or dict gives one padding per position/key.

    Raises:
        ValueError: the batch is empty, or arrays differ in shape and ``padding`` is ``None``.
    """
    if len(batch) == 0:
        raise ValueError('concat_examples: the batch is empty')
    first = batch[0]
    if isinstance(first, tuple):
        n = len(first)
        if any(len(example) != n for example in batch):
            raise ValueError('concat_examples: examples are tuples of different lengths: '
                             '{}'.format(sorted({len(e) for e in batch})))
        pads = padding if isinstance(padding, (tuple, list)) else (padding,) * n
        if len(pads) != n:
            raise ValueError('concat_examples: padding has {} entries but examples have {}'
                             .format(len(pads), n))
        return tuple(
            to_device(device, _stack([example[i] for example in batch], pads[i],
                                     'the arrays at tuple position {}'.format(i)))
            for i in range(n))
    if isinstance(first, dict):
        pads = padding if isinstance(padding, dict) else dict.fromkeys(first, padding)
        return {key: to_device(device, _stack([example[key] for example in batch],
                                              pads.get(key), 'the arrays under key {!r}'
                                              .format(key)))
                for key in first}
    return to_device(device, _stack(batch, padding, 'the examples'))

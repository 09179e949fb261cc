"""Initializers: callables that fill a parameter array in place.

``initialW``/``initial_bias`` arguments of links accept an initializer, a scalar (constant
fill) or an array (copied); :func:`_get_initializer` turns each into an initializer.
"""
import numpy

from dchain import backend
from dchain.config import config
from dchain.initializers.constant import Constant, Identity, NaN, One, Zero
from dchain.initializers.normal import GlorotNormal, HeNormal, LeCunNormal, Normal
from dchain.initializers.orthogonal import Orthogonal
from dchain.initializers.uniform import GlorotUniform, HeUniform, LeCunUniform, Uniform
from dchain.initializers._base import Initializer, get_fans

__all__ = ['Initializer', 'Constant', 'Identity', 'NaN', 'One', 'Zero', 'Normal', 'LeCunNormal',
           'GlorotNormal', 'HeNormal', 'Orthogonal', 'Uniform', 'LeCunUniform',
           'GlorotUniform', 'HeUniform', 'generate_array', 'get_fans']


def generate_array(initializer, shape, xp, dtype=None, device=None):
    """Allocate an array of ``shape`` and fill it with ``initializer``.

    Args:
        initializer: the initializer (its own ``dtype`` wins if set).
        shape (tuple of int): shape of the array.
        xp: array module (numpy or cupy).
        dtype: dtype to use when the initializer has none (default: ``config.dtype``).
        device: device to allocate on (defaults to the host for numpy).
    """
    dtype_attr = getattr(initializer, 'dtype', None)
    if dtype is not None and dtype_attr is not None and \
            numpy.dtype(dtype) != numpy.dtype(dtype_attr):
        raise ValueError('dtype mismatch: the initializer has dtype {} but {} was '
                         'requested'.format(dtype_attr, dtype))
    if dtype is None:
        dtype = dtype_attr
    dtype = numpy.dtype(config.dtype if dtype is None else dtype)
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(shape)
    device = backend.get_device(device) if device is not None else (
        backend.cpu_device if xp is numpy else backend.get_device(xp.cuda.Device().id))
    with device:
        array = device.xp.empty(shape, dtype=dtype)
    initializer(array)
    return array


def _get_initializer(initializer):
    """Turn an ``initialW``-style argument into an initializer (None: LeCunNormal)."""
    if initializer is None:
        return LeCunNormal()
    if numpy.isscalar(initializer):
        return Constant(initializer)
    if backend.get_array_module(initializer) is not numpy or \
            isinstance(initializer, numpy.ndarray):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError('an initializer must be callable, a scalar or an array; got {}'.format(
            type(initializer).__name__))
    return initializer

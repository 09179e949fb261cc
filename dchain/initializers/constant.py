"""Initializers that fill with fixed values: Constant, Zero, One, NaN, Identity."""
import numpy

from dchain import backend
from dchain.initializers._base import Initializer


class Constant(Initializer):
    """Fill with ``fill_value`` (a scalar, or an array broadcast to the target's shape)."""

    def __init__(self, fill_value, dtype=None):
        if dtype is None and hasattr(fill_value, 'dtype') and not numpy.isscalar(fill_value):
            dtype = fill_value.dtype
        super().__init__(dtype)
        self.fill_value = fill_value

    def __call__(self, array):
        self._check_dtype(array)
        value = self.fill_value
        if not numpy.isscalar(value):
            value = backend.get_device_from_array(array).send(value)
            if value.shape != array.shape:
                try:
                    value = backend.get_array_module(array).broadcast_to(value, array.shape)
                except ValueError:
                    raise ValueError('Constant initializer: value of shape {} cannot fill an '
                                     'array of shape {}'.format(value.shape, array.shape)) \
                        from None
        array[...] = value


def Zero(dtype=None):
    """Fill with zeros."""
    return Constant(0.0, dtype=dtype)


def One(dtype=None):
    """Fill with ones."""
    return Constant(1.0, dtype=dtype)


def NaN(dtype=None):
    """Fill with NaN (marks a parameter whose values were never set)."""
    return Constant(numpy.nan, dtype=dtype)


class Identity(Initializer):
    """Fill a square matrix with ``scale`` times the identity."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        if array.ndim != 2 or array.shape[0] != array.shape[1]:
            raise ValueError('Identity initializer needs a square matrix, got shape {}'.format(
                array.shape))
        xp = backend.get_array_module(array)
        array[...] = xp.identity(array.shape[0], dtype=array.dtype) * self.scale

"""Uniform initializers: Uniform and the fan-scaled LeCunUniform, GlorotUniform, HeUniform."""
import numpy

from dchain.initializers._base import Initializer, get_fans
from dchain.initializers._random import fill_random


class Uniform(Initializer):
    """Draw from U(-scale, scale)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        fill_random(array, lambda rng, shape: rng.uniform(-self.scale, self.scale, size=shape))


class LeCunUniform(Initializer):
    """U(-s, s) with s = scale * sqrt(3 / fan_in)."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        fan_in, _ = get_fans(array.shape)
        Uniform(self.scale * numpy.sqrt(3.0 / fan_in))(array)


class GlorotUniform(Initializer):
    """U(-s, s) with s = scale * sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        fan_in, fan_out = get_fans(array.shape)
        Uniform(self.scale * numpy.sqrt(6.0 / (fan_in + fan_out)))(array)


class HeUniform(Initializer):
    """U(-s, s) with s = scale * sqrt(6 / fan_in)."""

    def __init__(self, scale=1.0, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        fan_in, _ = get_fans(array.shape)
        Uniform(self.scale * numpy.sqrt(6.0 / fan_in))(array)

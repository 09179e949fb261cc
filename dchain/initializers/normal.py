"""Gaussian initializers: Normal and the fan-scaled LeCunNormal, GlorotNormal, HeNormal."""
import numpy

from dchain.initializers._base import Initializer, get_fans
from dchain.initializers._random import fill_random


class Normal(Initializer):
    """Draw from N(0, scale^2)."""

    def __init__(self, scale=0.05, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        fill_random(array, lambda rng, shape: rng.normal(0.0, self.scale, size=shape))


class _FanScaledNormal(Initializer):
    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in'):
        super().__init__(dtype)
        self.scale = scale
        if fan_option not in ('fan_in', 'fan_out'):
            raise ValueError("fan_option must be 'fan_in' or 'fan_out', got {!r}".format(
                fan_option))
        self.fan_option = fan_option

    def _std(self, shape):
        raise NotImplementedError

    def __call__(self, array):
        self._check_dtype(array)
        Normal(self._std(array.shape) * self.scale)(array)


class LeCunNormal(_FanScaledNormal):
    """N(0, scale^2 / fan_in) (LeCun 1998); the default for weights."""

    def _std(self, shape):
        return numpy.sqrt(1.0 / get_fans(shape)[0])


class GlorotNormal(_FanScaledNormal):
    """N(0, scale^2 * 2 / (fan_in + fan_out)) (Glorot & Bengio 2010)."""

    def _std(self, shape):
        fan_in, fan_out = get_fans(shape)
        return numpy.sqrt(2.0 / (fan_in + fan_out))


class HeNormal(_FanScaledNormal):
    """N(0, scale^2 * 2 / fan) with fan = fan_in or fan_out (He et al. 2015)."""

    def _std(self, shape):
        fan_in, fan_out = get_fans(shape)
        return numpy.sqrt(2.0 / (fan_in if self.fan_option == 'fan_in' else fan_out))

"""Random source of initializers: numpy's global RandomState (seeded by numpy.random.seed)."""
import numpy

from dchain import backend


def get_random_state(xp):
    """Random generator for ``xp``; numpy's global state so ``numpy.random.seed`` applies."""
    if xp is numpy:
        return numpy.random
    return xp.random


def fill_random(array, sample):
    """Fill ``array`` with ``sample(rng, shape)``, drawn on the host for numpy arrays."""
    xp = backend.get_array_module(array)
    values = sample(get_random_state(xp), array.shape)
    array[...] = values

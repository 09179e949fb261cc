"""Orthogonal initializer (Saxe et al. 2014): rows or columns orthonormal, times ``scale``."""
import numpy

from dchain import backend
from dchain.initializers._base import Initializer
from dchain.initializers._random import get_random_state


class Orthogonal(Initializer):
    """Fill with a (semi-)orthogonal matrix of the flattened shape ``(out, prod(rest))``."""

    def __init__(self, scale=1.1, dtype=None):
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array):
        self._check_dtype(array)
        if array.ndim < 2:
            raise ValueError('Orthogonal initializer needs at least 2 dimensions, got shape '
                             '{}'.format(array.shape))
        rows = array.shape[0]
        cols = array.size // rows
        rng = get_random_state(numpy)
        a = rng.normal(size=(max(rows, cols), min(rows, cols)))
        q, r = numpy.linalg.qr(a)
        q *= numpy.sign(numpy.diag(r))  # make the decomposition unique (uniform over O(n))
        if rows < cols:
            q = q.T
        q = (self.scale * q).reshape(array.shape).astype(array.dtype)
        array[...] = backend.get_device_from_array(array).send(q)

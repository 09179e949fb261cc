"""Repeat a whole variable along each axis (``F.tile``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Tile(function_node.FunctionNode):
    """``numpy.tile(x, reps)``."""

    def __init__(self, reps):
        if isinstance(reps, (int, numpy.integer)) and not isinstance(reps, bool):
            reps = (int(reps),)
        elif isinstance(reps, (tuple, list)) and all(
                isinstance(r, (int, numpy.integer)) and not isinstance(r, bool) for r in reps):
            reps = tuple(int(r) for r in reps)
        else:
            raise TypeError('tile: reps must be an int or a tuple of ints, got {!r}'.format(
                reps))
        if any(r < 0 for r in reps):
            raise ValueError('tile: reps must be non-negative, got {}'.format(reps))
        self.reps = reps

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        return utils.get_xp(x).tile(x, self.reps),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum import sum as sum_
        gy, = grad_outputs
        ndim = max(len(self._x_shape), len(self.reps))
        reps = (1,) * (ndim - len(self.reps)) + self.reps
        shape = (1,) * (ndim - len(self._x_shape)) + self._x_shape
        # Each output axis is (repetition, original) in row-major order: split and sum.
        split = []
        for r, s in zip(reps, shape):
            split += [r, s]
        g = reshape(gy, tuple(split))
        g = sum_(g, axis=tuple(range(0, 2 * ndim, 2)))
        return reshape(g, self._x_shape),


def tile(x, reps):
    """Construct a variable by repeating ``x`` ``reps`` times (as ``numpy.tile``).

    Args:
        x (Variable or array): floating input.
        reps (int or tuple of int): repetitions along each axis.
    """
    return Tile(reps).apply((x,))[0]

"""Reorder a variable along an axis by a permutation (``F.permutate``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.functions.array import _axes
from dchain.utils import type_check


class Permutate(function_node.FunctionNode):
    """``y = x.take(indices, axis)`` (or its inverse with ``inv=True``)."""

    def __init__(self, axis=0, inv=False):
        self.axis = _axes.as_int(axis, 'permutate', 'axis')
        self.inv = bool(inv)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 'indices'))
        type_check.expect(in_types.size() == 2)
        x_type, ind_type = in_types
        type_check.expect(ind_type.dtype.kind == 'i', ind_type.ndim == 1)
        _axes.expect_axis(type_check, x_type, self.axis)
        type_check.expect(x_type.shape[self.axis] == ind_type.shape[0])

    def forward(self, inputs):
        x, indices = inputs
        xp = utils.get_xp(x, indices)
        self.retain_inputs((1,))
        # One host check that indices really permute 0..n-1: anything else would silently
        # drop or duplicate rows, and backward (the inverse permutation) would be wrong.
        host = numpy.sort(utils.get_xp(indices).asnumpy(indices)
                          if xp is not numpy else indices)
        if (host != numpy.arange(len(host))).any():
            raise ValueError('permutate: indices must be a permutation of 0..{}'.format(
                len(host) - 1))
        if self.inv:
            inverse = xp.empty_like(indices)
            inverse[indices] = xp.arange(len(indices), dtype=indices.dtype)
            indices = inverse
        return xp.take(x, indices, axis=self.axis),

    def backward(self, indexes, grad_outputs):
        indices, = self.get_retained_inputs()
        gx = Permutate(self.axis, not self.inv).apply((grad_outputs[0], indices))[0]
        return gx, None


def permutate(x, indices, axis=0, inv=False):
    """Permute ``x`` along ``axis``.

    Args:
        x (Variable or array): input.
        indices (Variable or array): signed integer 1-D array, a permutation of
            ``0 .. x.shape[axis] - 1``.
        axis (int): the axis to permute.
        inv (bool): apply the inverse permutation instead
            (``y.take(indices, axis) == x`` then).

    Returns:
        Variable: ``y`` with ``y.take(i, axis) == x.take(indices[i], axis)``.
    """
    return Permutate(axis, inv).apply((x, indices))[0]

"""Exchange two axes of a variable (``F.swapaxes``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


def _check_axis(in_type, axis):
    if axis >= 0:
        type_check.expect(in_type.ndim > axis)
    else:
        type_check.expect(in_type.ndim >= -axis)


class Swapaxes(function_node.FunctionNode):
    """Swap ``axis1`` and ``axis2``."""

    def __init__(self, axis1, axis2):
        for name, a in (('axis1', axis1), ('axis2', axis2)):
            if not isinstance(a, (int, numpy.integer)) or isinstance(a, bool):
                raise TypeError('swapaxes: {} must be an int, got {!r}'.format(name, a))
        self.axis1 = int(axis1)
        self.axis2 = int(axis2)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        _check_axis(in_types[0], self.axis1)
        _check_axis(in_types[0], self.axis2)

    def forward(self, inputs):
        x, = inputs
        return x.swapaxes(self.axis1, self.axis2),

    def backward(self, indexes, grad_outputs):
        return Swapaxes(self.axis1, self.axis2).apply(grad_outputs)


def swapaxes(x, axis1, axis2):
    """Return ``x`` with ``axis1`` and ``axis2`` exchanged (a view)."""
    return Swapaxes(axis1, axis2).apply((x,))[0]

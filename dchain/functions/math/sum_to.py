"""Sum a variable over broadcast axes down to a given shape (``F.sum_to``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class SumTo(function_node.FunctionNode):
    """Inverse of broadcasting: sums leading axes and axes where ``shape`` has 1."""

    def __init__(self, shape):
        self._shape = tuple(shape)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        ndim = len(self._shape)
        type_check.expect(in_types[0].ndim >= ndim)
        for i in range(-1, -ndim - 1, -1):
            if self._shape[i] != 1:
                type_check.expect(in_types[0].shape[i] == self._shape[i])

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        return utils.force_array(utils.sum_to(x, self._shape)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        return broadcast_to(grad_outputs[0], self._x_shape),


def sum_to(x, shape):
    """Sum ``x`` so that its shape becomes ``shape`` (the reverse of broadcasting)."""
    shape = tuple(shape)
    if getattr(x, 'shape', None) == shape:
        from dchain.functions.array.identity import identity
        return identity(x)
    return SumTo(shape).apply((x,))[0]

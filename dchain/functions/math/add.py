"""Elementwise sum of two or more variables, with broadcasting (``x + y``, ``F.add``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Add(function_node.FunctionNode):
    """Sum of n >= 2 inputs of one dtype; shapes broadcast as in numpy."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() >= 2)
        first = in_types[0]
        for t in in_types[1:]:
            type_check.expect(t.dtype == first.dtype)
        type_check.expect_broadcast_shapes(*[t.shape for t in in_types])

    def forward(self, inputs):
        self._shapes = [x.shape for x in inputs]
        y = inputs[0] + inputs[1]
        for x in inputs[2:]:
            y = y + x
        return utils.force_array(y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        from dchain.functions.math.sum_to import sum_to
        shapes = self._shapes
        return tuple(gy if shapes[i] == gy.shape else sum_to(gy, shapes[i]) for i in indexes)


def add(*xs):
    """Elementwise sum of the inputs (two or more), broadcasting their shapes.

    Args:
        xs (Variable or array): the summands, all of one dtype.

    Returns:
        Variable: the sum.
    """
    if len(xs) == 1:
        raise TypeError('F.add needs at least two inputs; got one')
    return Add().apply(xs)[0]

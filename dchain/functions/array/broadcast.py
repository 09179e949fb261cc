"""Broadcast several variables against each other (``F.broadcast``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Broadcast(function_node.FunctionNode):
    """Broadcast all inputs to their common shape (numpy's rules)."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        type_check.expect_broadcast_shapes(*[t.shape for t in in_types])

    def forward(self, inputs):
        xp = utils.get_xp(*inputs)
        self._shapes = [x.shape for x in inputs]
        return tuple(xp.broadcast_arrays(*inputs))

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        return tuple(None if gy is None else sum_to(gy, shape)
                     for gy, shape in zip(grad_outputs, self._shapes))


def broadcast(*args):
    """Broadcast the given variables to one shape.

    Args:
        *args (Variable or array): inputs whose shapes broadcast together.

    Returns:
        Variable when one input is given, otherwise a tuple of Variables, all of the
        broadcast shape. Gradients are summed back over the broadcast axes.
    """
    if len(args) == 1:
        from dchain.variable import as_variable
        return as_variable(args[0])
    return Broadcast().apply(args)

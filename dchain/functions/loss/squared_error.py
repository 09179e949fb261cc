"""Elementwise squared error (``F.squared_error``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class SquaredError(function_node.FunctionNode):
    """``(x0 - x1) ** 2`` elementwise."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x0', 'x1'))
        type_check.expect(in_types.size() == 2)
        x0, x1 = in_types
        type_check.expect(x0.dtype.kind == 'f', x0.dtype == x1.dtype, x0.shape == x1.shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        diff = inputs[0] - inputs[1]
        diff *= diff
        return utils.force_array(diff),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        gx0 = (x0 - x1) * grad_outputs[0] * 2.0
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def squared_error(x0, x1):
    """Squared difference of ``x0`` and ``x1`` (same shape and dtype), elementwise."""
    return SquaredError().apply((x0, x1))[0]

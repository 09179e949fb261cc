"""Elementwise quotient of two variables, with broadcasting (``x / y``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Div(function_node.FunctionNode):
    """``x / y`` for two floating inputs of one dtype."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('lhs', 'rhs'))
        type_check.expect(in_types.size() == 2, in_types[0].dtype == in_types[1].dtype)
        type_check.expect_broadcast_shapes(in_types[0].shape, in_types[1].shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, y = inputs
        return utils.force_array(x / y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        from dchain.functions.math.sum_to import sum_to
        x, y = self.get_retained_inputs()
        gx = gy / y
        ret = []
        for i in indexes:
            g = gx if i == 0 else -gx * x / y
            shape = (x if i == 0 else y).shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)


def div(x, y):
    """Elementwise ``x / y`` (broadcasting)."""
    return Div().apply((x, y))[0]

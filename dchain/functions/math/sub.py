"""Elementwise difference of two variables, with broadcasting (``x - y``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Sub(function_node.FunctionNode):
    """``x - y`` for two inputs of one dtype."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('lhs', 'rhs'))
        type_check.expect(in_types.size() == 2, in_types[0].dtype == in_types[1].dtype)
        type_check.expect_broadcast_shapes(in_types[0].shape, in_types[1].shape)

    def forward(self, inputs):
        x, y = inputs
        self._shapes = (x.shape, y.shape)
        return utils.force_array(x - y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        from dchain.functions.math.sum_to import sum_to
        ret = []
        for i in indexes:
            g = gy if i == 0 else -gy
            shape = self._shapes[i]
            ret.append(g if shape == g.shape else sum_to(g, shape))
        return tuple(ret)


def sub(x, y):
    """Elementwise ``x - y`` (broadcasting)."""
    return Sub().apply((x, y))[0]

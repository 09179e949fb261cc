"""Elementwise power of two variables (``x ** y``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class PowVarVar(function_node.FunctionNode):
    """``x ** y`` for two floating inputs of one dtype (broadcasting)."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('lhs', 'rhs'))
        type_check.expect(in_types.size() == 2, in_types[0].dtype.kind == 'f',
                          in_types[0].dtype == in_types[1].dtype)
        type_check.expect_broadcast_shapes(in_types[0].shape, in_types[1].shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        self.retain_outputs((0,))
        x, y = inputs
        return utils.force_array(x ** y),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.log import log
        from dchain.functions.math.sum_to import sum_to
        x, y = self.get_retained_inputs()
        z, = self.get_retained_outputs()
        gz, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                g = gz * y * x ** (y - 1)
            else:
                g = gz * z * log(x)
            shape = (x if i == 0 else y).shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)


def pow(x, y):  # noqa: A001 (Chainer's name)
    """Elementwise ``x ** y`` for two variables."""
    return PowVarVar().apply((x, y))[0]

"""Elementwise squared difference ``(x1 - x2)^2`` (``F.squared_difference``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class SquaredDifference(function_node.FunctionNode):
    """``(x1 - x2)^2`` for two floating inputs of one dtype (broadcasting)."""

    def check_type_forward(self, in_types):
        _util.check_binary_float(in_types)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        d = x1 - x2
        return utils.force_array(d * d),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        x1, x2 = self.get_retained_inputs()
        g = grad_outputs[0] * (x1 - x2) * 2
        ret = []
        for i in indexes:
            gi = g if i == 0 else -g
            shape = (x1 if i == 0 else x2).shape
            ret.append(gi if gi.shape == shape else sum_to(gi, shape))
        return tuple(ret)


def squared_difference(x1, x2):
    """Elementwise ``(x1 - x2) ** 2`` (floating, one dtype, broadcasting)."""
    return SquaredDifference().apply((x1, x2))[0]

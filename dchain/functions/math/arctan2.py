"""Elementwise two-argument inverse tangent ``arctan(x1 / x2)`` by quadrant (``F.arctan2``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Arctan2(function_node.FunctionNode):
    """``arctan2(x1, x2)`` for two floating inputs of one dtype (broadcasting)."""

    def check_type_forward(self, in_types):
        _util.check_binary_float(in_types)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = utils.get_xp(x1)
        return utils.force_array(xp.arctan2(x1, x2)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        x1, x2 = self.get_retained_inputs()
        g = grad_outputs[0] / (x1 * x1 + x2 * x2)
        ret = []
        for i in indexes:
            gi = g * x2 if i == 0 else -g * x1
            shape = (x1 if i == 0 else x2).shape
            ret.append(gi if gi.shape == shape else sum_to(gi, shape))
        return tuple(ret)


def arctan2(x1, x2):
    """Elementwise ``arctan(x1 / x2)`` choosing the quadrant by the signs of both."""
    return Arctan2().apply((x1, x2))[0]

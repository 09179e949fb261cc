"""Elementwise maximum of two variables, with broadcasting (``F.maximum``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Maximum(function_node.FunctionNode):
    """``max(x1, x2)``; at ties the gradient goes to ``x1``."""

    def check_type_forward(self, in_types):
        _util.check_binary_float(in_types)

    def _select_first(self, x1, x2):
        return x1 >= x2

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x1, x2 = inputs
        xp = utils.get_xp(x1)
        return utils.force_array(xp.where(self._select_first(x1, x2), x1, x2)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        gy, = grad_outputs
        x1, x2 = self.inputs[0].data, self.inputs[1].data
        first = self._select_first(x1, x2)
        ret = []
        for i in indexes:
            mask = (first if i == 0 else ~first).astype(gy.dtype)
            g = gy * mask
            shape = (x1 if i == 0 else x2).shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)


def maximum(x1, x2):
    """Elementwise maximum of ``x1`` and ``x2`` (floating, one dtype, broadcasting)."""
    return Maximum().apply((x1, x2))[0]

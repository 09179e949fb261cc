"""Elementwise absolute error (``F.absolute_error``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class AbsoluteError(function_node.FunctionNode):
    """``|x0 - x1|`` elementwise; the gradient at ``x0 == x1`` is taken as 0."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x0', 'x1'))
        type_check.expect(in_types.size() == 2)
        x0, x1 = in_types
        type_check.expect(x0.dtype.kind == 'f', x0.dtype == x1.dtype, x0.shape == x1.shape)

    def forward(self, inputs):
        xp = utils.get_xp(inputs[0])
        diff = inputs[0] - inputs[1]
        self._sign = xp.sign(diff)
        return utils.force_array(xp.abs(diff, out=diff)),

    def backward(self, indexes, grad_outputs):
        gx0 = grad_outputs[0] * self._sign
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def absolute_error(x0, x1):
    """Absolute difference of ``x0`` and ``x1`` (same shape and dtype), elementwise."""
    return AbsoluteError().apply((x0, x1))[0]

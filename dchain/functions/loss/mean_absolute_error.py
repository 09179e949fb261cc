"""Mean absolute error of two arrays (``F.mean_absolute_error``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class MeanAbsoluteError(function_node.FunctionNode):
    """``mean(|x0 - x1|)`` over all elements."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x0', 'x1'))
        type_check.expect(in_types.size() == 2)
        x0, x1 = in_types
        type_check.expect(x0.dtype.kind == 'f', x0.dtype == x1.dtype, x0.shape == x1.shape)

    def forward(self, inputs):
        xp = utils.get_xp(inputs[0])
        diff = inputs[0] - inputs[1]
        self._sign = xp.sign(diff)
        self._size = diff.size
        return utils.force_array(xp.abs(diff).mean(), diff.dtype),

    def backward(self, indexes, grad_outputs):
        gx0 = grad_outputs[0] * (self._sign * self._sign.dtype.type(1.0 / max(self._size, 1)))
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def mean_absolute_error(x0, x1):
    """Mean of the absolute differences of ``x0`` and ``x1`` (same shape and dtype).

    Returns:
        Variable: a scalar of the inputs' dtype.
    """
    return MeanAbsoluteError().apply((x0, x1))[0]

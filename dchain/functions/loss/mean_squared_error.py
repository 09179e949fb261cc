"""Mean squared error of two arrays (``F.mean_squared_error``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class MeanSquaredError(function_node.FunctionNode):
    """``mean((x0 - x1) ** 2)`` over all elements."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x0', 'x1'))
        type_check.expect(in_types.size() == 2)
        x0, x1 = in_types
        type_check.expect(x0.dtype.kind == 'f', x0.dtype == x1.dtype, x0.shape == x1.shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        diff = (x0 - x1).ravel()
        # dot avoids materialising the squares; empty input gives nan as numpy's mean does.
        value = diff.dot(diff) / diff.dtype.type(diff.size) if diff.size else \
            diff.dtype.type('nan')
        return utils.force_array(value, x0.dtype),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        gy, = grad_outputs
        gx0 = (x0 - x1) * gy * (2.0 / max(x0.size, 1))
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def mean_squared_error(x0, x1):
    """Mean of the squared differences of ``x0`` and ``x1`` (same shape and dtype).

    Returns:
        Variable: a scalar of the inputs' dtype.
    """
    return MeanSquaredError().apply((x0, x1))[0]

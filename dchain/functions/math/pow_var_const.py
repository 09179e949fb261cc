"""A variable raised to a constant power (``x ** 2``)."""
from dchain import function_node
from dchain import utils


class PowVarConst(function_node.FunctionNode):
    """``x ** value`` for a scalar ``value``."""

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ ** {}'.format(self.value)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        if self.value == 2:
            return utils.force_array(x * x),
        return utils.force_array(x ** self.value),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        value = self.value
        if value == 2:
            return gy * x * 2,
        if value == 1:
            return gy,
        return gy * value * PowVarConst(value - 1).apply((x,))[0],


def pow_var_const(x, value):
    """Return ``x ** value`` for a scalar constant exponent."""
    return PowVarConst(value).apply((x,))[0]

"""Softplus (``F.softplus``): a smooth rectifier."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Softplus(function_node.FunctionNode):
    """``log(1 + exp(beta * x)) / beta``, without overflow for large ``beta * x``."""

    def __init__(self, beta=1.0):
        beta = float(beta)
        if beta == 0:
            raise ValueError('softplus: beta must be nonzero')
        self.beta = beta

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        self.retain_inputs((0,))
        bx = x * x.dtype.type(self.beta)
        y = xp.logaddexp(bx.dtype.type(0), bx) * x.dtype.type(1.0 / self.beta)
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.activation.sigmoid import sigmoid
        x, = self.get_retained_inputs()
        return grad_outputs[0] * sigmoid(x * self.beta),


def softplus(x, beta=1.0):
    """Softplus ``log(1 + exp(beta * x)) / beta``, elementwise.

    Args:
        x (Variable or array): floating input.
        beta (float): sharpness; the function approaches relu as beta grows.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return Softplus(beta).apply((x,))[0]

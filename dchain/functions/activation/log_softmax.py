"""Logarithm of the softmax over one axis (``F.log_softmax``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.activation.softmax import _check_axis
from dchain.utils import type_check


def _logsumexp(x, axis):
    xp = utils.get_xp(x)
    m = x.max(axis=axis, keepdims=True)
    s = xp.exp(x - m).sum(axis=axis, keepdims=True)
    return m + xp.log(s)


class LogSoftmax(function_node.FunctionNode):
    """``x - log(sum(exp(x), axis))``, stable for large inputs."""

    def __init__(self, axis=1):
        if not isinstance(axis, int):
            raise TypeError('log_softmax: axis must be an int, got {!r}'.format(axis))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        _check_axis(in_types, self.axis)

    def forward(self, inputs):
        x, = inputs
        self.retain_outputs((0,))
        return utils.force_array(x - _logsumexp(x, self.axis), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.exp import exp
        from dchain.functions.math.sum import sum as sum_
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        # softmax = exp(y); written with nodes so the gradient is itself differentiable.
        return gy - exp(y) * sum_(gy, axis=self.axis, keepdims=True),


def log_softmax(x, axis=1):
    """Log of the softmax along ``axis``, computed without forming the softmax.

    Args:
        x (Variable or array): floating input with at least ``axis + 1`` dimensions.
        axis (int): axis along which to normalize.

    Returns:
        Variable: output of the same shape and dtype.
    """
    return LogSoftmax(axis).apply((x,))[0]

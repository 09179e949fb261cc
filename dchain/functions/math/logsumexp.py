"""Log of the sum of exponentials over given axes (``F.logsumexp``), computed stably."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class LogSumExp(function_node.FunctionNode):
    """``log(sum(exp(x), axis))``, shifting by the maximum so nothing overflows."""

    def __init__(self, axis=None):
        self.axis = _util.normalize_axis(axis, 'F.logsumexp')

    def check_type_forward(self, in_types):
        _util.check_unary_float(in_types)
        _util.check_axis(in_types[0], self.axis)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        xp = utils.get_xp(x)
        m = x.max(axis=self.axis, keepdims=True)
        # Rows of -inf (or inf) would give inf - inf = nan; shift those by 0 instead.
        m[~xp.isfinite(m)] = 0
        s = xp.exp(x - m).sum(axis=self.axis)
        with numpy.errstate(divide='ignore'):  # an all -inf line is -inf, not an error
            y = xp.log(s)
        y += m.reshape(y.shape)
        return utils.force_array(y),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        from dchain.functions.math.exp import exp
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        shape = x.shape
        y = broadcast_to(_util.expand_reduced(y, shape, self.axis, False), shape)
        gy = broadcast_to(_util.expand_reduced(grad_outputs[0], shape, self.axis, False), shape)
        return gy * exp(x - y),


def logsumexp(x, axis=None):
    """Log-sum-exp of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to reduce; None reduces all.
    """
    return LogSumExp(axis).apply((x,))[0]

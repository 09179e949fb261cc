"""Arithmetic mean over given axes (``F.mean``; ``F.average`` without weights)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util


class Mean(function_node.FunctionNode):
    """Mean over ``axis`` (None: all axes), optionally keeping the reduced axes."""

    def __init__(self, axis=None, keepdims=False):
        self.axis = _util.normalize_axis(axis, 'F.mean')
        self.keepdims = keepdims

    def check_type_forward(self, in_types):
        _util.check_unary_float(in_types)
        _util.check_axis(in_types[0], self.axis)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        return utils.force_array(x.mean(axis=self.axis, keepdims=self.keepdims)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        gy, = grad_outputs
        n = _util.reduced_size(self._x_shape, self.axis)
        gy = _util.expand_reduced(gy, self._x_shape, self.axis, self.keepdims)
        return broadcast_to(gy * (1.0 / n if n else float('nan')), self._x_shape),


def mean(x, axis=None, weights=None, keepdims=False):
    """Mean of the elements of ``x`` over ``axis``, optionally weighted.

    Same as :func:`average`.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to average over; None averages everything.
        weights (None, Variable or array): weights (see :func:`average`).
        keepdims (bool): keep the reduced axes with length 1.
    """
    if weights is None:
        return Mean(axis, keepdims).apply((x,))[0]
    from dchain.functions.math.average import average
    return average(x, axis=axis, weights=weights, keepdims=keepdims)

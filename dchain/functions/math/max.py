"""Maximum of elements over given axes (``F.max``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _util
from dchain.utils import type_check


class Max(function_node.FunctionNode):
    """Maximum over ``axis``; the gradient flows to every element equal to the maximum."""

    _name = 'F.max'

    def __init__(self, axis=None, keepdims=False):
        self.axis = _util.normalize_axis(axis, self._name)
        self.keepdims = keepdims

    def check_type_forward(self, in_types):
        _util.check_unary_float(in_types)
        _util.check_axis(in_types[0], self.axis)
        if self.axis is None:
            # numpy raises a bare ValueError for an empty reduction; say it here instead.
            type_check.expect(in_types[0].size > 0)

    def _reduce(self, x):
        return x.max(axis=self.axis, keepdims=self.keepdims)

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        return utils.force_array(self._reduce(inputs[0])),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        x = self.inputs[0].data
        y, = self.output_data
        shape = x.shape
        cond = x == _util.expand_reduced_array(y, shape, self.axis, self.keepdims)
        gy = _util.expand_reduced(grad_outputs[0], shape, self.axis, self.keepdims)
        return broadcast_to(gy, shape) * cond.astype(x.dtype),


def max(x, axis=None, keepdims=False):  # noqa: A001 (Chainer's name)
    """Maximum of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to reduce; None reduces all.
        keepdims (bool): keep the reduced axes with length 1.
    """
    return Max(axis, keepdims).apply((x,))[0]

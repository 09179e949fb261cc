"""Index of the maximum along an axis (``F.argmax``); not differentiable."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class ArgMax(function_node.FunctionNode):
    """``argmax`` over one axis (None: the flattened array), as int32."""

    _name = 'F.argmax'

    def __init__(self, axis=None):
        if axis is not None and not isinstance(axis, int):
            raise TypeError('{}: axis must be None or an int, got {!r}'.format(
                self._name, axis))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        x = in_types[0]
        type_check.expect(in_types.size() == 1, x.dtype.kind == 'f', x.size > 0)
        if self.axis is not None:
            if self.axis >= 0:
                type_check.expect(self.axis < x.ndim)
            else:
                type_check.expect(-self.axis - 1 < x.ndim)

    def _reduce(self, xp, x):
        return xp.argmax(x, axis=self.axis)

    def forward(self, inputs):
        x, = inputs
        xp = utils.get_xp(x)
        return utils.force_array(self._reduce(xp, x).astype('int32', copy=False)),

    def backward(self, indexes, grad_outputs):
        return None,


def argmax(x, axis=None):
    """Indices of the maximum values along ``axis`` (int32; no gradient).

    Args:
        x (Variable or array): floating input.
        axis (None or int): the axis; None uses the flattened array.
    """
    return ArgMax(axis).apply((x,))[0]

"""Sum of elements over given axes (``F.sum``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Sum(function_node.FunctionNode):
    """Sum over ``axis`` (None: all axes), optionally keeping reduced axes."""

    def __init__(self, axis=None, keepdims=False):
        if axis is None:
            self.axis = None
        elif isinstance(axis, int):
            self.axis = (axis,)
        elif isinstance(axis, tuple) and all(isinstance(a, int) for a in axis):
            if len(set(axis)) != len(axis):
                raise ValueError('F.sum: duplicate value in axis {}'.format(axis))
            self.axis = axis
        else:
            raise TypeError('F.sum: axis must be None, an int or a tuple of ints, got {!r}'
                            .format(axis))
        self.keepdims = keepdims

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')
        if self.axis is not None:
            for axis in self.axis:
                if axis >= 0:
                    type_check.expect(axis < in_types[0].ndim)
                else:
                    type_check.expect(-axis - 1 < in_types[0].ndim)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        return utils.force_array(x.sum(axis=self.axis, keepdims=self.keepdims)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        from dchain.functions.array.reshape import reshape
        gy, = grad_outputs
        ndim = len(self._x_shape)
        if not (ndim == 0 or self.axis is None or self.keepdims):
            axes = sorted(a % ndim for a in self.axis)
            shape = list(gy.shape)
            for a in axes:
                shape.insert(a, 1)
            gy = reshape(gy, tuple(shape))
        elif self.axis is None and not self.keepdims and ndim:
            gy = reshape(gy, (1,) * ndim)
        return broadcast_to(gy, self._x_shape),


def sum(x, axis=None, keepdims=False):  # noqa: A001 (Chainer's name)
    """Sum of the elements of ``x`` over ``axis``.

    Args:
        x (Variable or array): floating input.
        axis (None, int or tuple of int): axes to sum over; None sums everything.
        keepdims (bool): keep the summed axes with length 1.
    """
    return Sum(axis, keepdims).apply((x,))[0]

"""Take a diagonal of a variable (``F.diagonal``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.array import _axes
from dchain.utils import type_check


def _diagonal_index(shape, offset, axis1, axis2, xp):
    """Row and column index arrays of the diagonal in the plane (axis1, axis2)."""
    n1, n2 = shape[axis1], shape[axis2]
    length = max(0, min(n1 - max(-offset, 0), n2 - max(offset, 0)))
    steps = xp.arange(length)
    return steps + max(-offset, 0), steps + max(offset, 0)


class Diagonal(function_node.FunctionNode):
    """``numpy.diagonal(x, offset, axis1, axis2)``; the diagonal becomes the last axis."""

    def __init__(self, offset=0, axis1=0, axis2=1):
        self.offset = _axes.as_int(offset, 'diagonal', 'offset')
        self.axis1 = _axes.as_int(axis1, 'diagonal', 'axis1')
        self.axis2 = _axes.as_int(axis2, 'diagonal', 'axis2')

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].ndim >= 2)
        _axes.expect_axis(type_check, in_types[0], self.axis1)
        _axes.expect_axis(type_check, in_types[0], self.axis2)

    def forward(self, inputs):
        x, = inputs
        if self.axis1 % x.ndim == self.axis2 % x.ndim:
            raise ValueError('diagonal: axis1 and axis2 cannot be the same axis ({})'.format(
                self.axis1))
        self._x_shape = x.shape
        # numpy returns a read-only view; give the graph an ordinary array.
        y = x.diagonal(self.offset, self.axis1, self.axis2).copy()
        return y,

    def backward(self, indexes, grad_outputs):
        return DiagonalGrad(self._x_shape, self.offset, self.axis1, self.axis2).apply(
            grad_outputs)


class DiagonalGrad(function_node.FunctionNode):
    """Write ``gy`` onto the diagonal of a zero array of the input's shape."""

    def __init__(self, x_shape, offset, axis1, axis2):
        self.x_shape = x_shape
        self.offset = offset
        self.axis1 = axis1 % len(x_shape)
        self.axis2 = axis2 % len(x_shape)

    def forward(self, inputs):
        gy, = inputs
        xp = utils.get_xp(gy)
        gx = xp.zeros(self.x_shape, gy.dtype)
        rows, cols = _diagonal_index(self.x_shape, self.offset, self.axis1, self.axis2, xp)
        plane = xp.moveaxis(gx, (self.axis1, self.axis2), (-2, -1))  # a view of gx
        plane[..., rows, cols] = gy
        return gx,

    def backward(self, indexes, grad_outputs):
        return Diagonal(self.offset, self.axis1, self.axis2).apply(grad_outputs)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """Take the diagonal of ``x`` in the plane of ``axis1`` and ``axis2``.

    Args:
        x (Variable or array): input of at least two dimensions.
        offset (int): diagonal offset (positive: above the main diagonal).
        axis1, axis2 (int): the two axes spanning the plane.

    Returns:
        Variable: the two axes are removed and the diagonal is appended as the last axis.
    """
    return Diagonal(offset, axis1, axis2).apply((x,))[0]

"""Join variables along an existing axis (``F.concat``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Concat(function_node.FunctionNode):
    """Concatenate the inputs along ``axis``."""

    def __init__(self, axis=1):
        if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
            raise TypeError('concat: axis must be an int, got {!r}'.format(axis))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        if self.axis >= 0:
            type_check.expect(x0.ndim > self.axis)
        else:
            type_check.expect(x0.ndim >= -self.axis)
        ndim = type_check.eval(x0.ndim)
        axis = self.axis % ndim
        if in_types.light:
            # Many inputs are common (sequence batches): compare shapes as tuples here and
            # leave the per-dimension conditions to the symbolic pass that explains failures.
            dtype, lead, tail = x0.dtype, x0.shape[:axis], x0.shape[axis + 1:]
            type_check.expect(all(
                t.dtype == dtype and t.ndim == ndim and t.shape[:axis] == lead and
                t.shape[axis + 1:] == tail for t in in_types))
            return
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.ndim == x0.ndim)
            for d in range(ndim):
                if d != axis:
                    type_check.expect(t.shape[d] == x0.shape[d])

    def forward(self, inputs):
        xp = utils.get_xp(*inputs)
        axis = self.axis % inputs[0].ndim
        self._axis = axis
        self._sizes = [x.shape[axis] for x in inputs]
        return xp.concatenate(inputs, axis=axis),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.split_axis import SplitAxis
        if len(self._sizes) == 1:
            return grad_outputs
        points = numpy.cumsum(self._sizes[:-1]).tolist()
        return SplitAxis(points, self._axis).apply(grad_outputs)


def concat(xs, axis=1):
    """Concatenate variables along an axis.

    Args:
        xs (list or tuple of Variable or array): variables of one dtype whose shapes agree
            except along ``axis``.
        axis (int): the axis to join along (negative counts from the end).

    Returns:
        Variable: the concatenation.
    """
    return Concat(axis).apply(tuple(xs))[0]

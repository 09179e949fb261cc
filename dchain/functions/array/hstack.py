"""Join variables column-wise, as numpy.hstack (``F.hstack``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Hstack(function_node.FunctionNode):
    """Concatenate along axis 1 (axis 0 for 1-D inputs; 0-D inputs count as 1-D)."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        ndim = type_check.eval(x0.ndim)
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.ndim == x0.ndim)
            for d in range(ndim):
                if d != 1 and ndim > 1:
                    type_check.expect(t.shape[d] == x0.shape[d])

    def forward(self, inputs):
        self._shapes = [x.shape for x in inputs]
        return utils.get_xp(*inputs).hstack(inputs),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.array.split_axis import split_axis
        gy, = grad_outputs
        axis = 0 if len(self._shapes[0]) <= 1 else 1
        sizes = [1 if len(s) == 0 else s[axis] for s in self._shapes]
        pieces = split_axis(gy, numpy.cumsum(sizes[:-1]).tolist(), axis)
        return tuple(reshape(g, s) for g, s in zip(pieces, self._shapes))


def hstack(xs):
    """Concatenate variables horizontally (as ``numpy.hstack``).

    Args:
        xs (list or tuple of Variable or array): variables of one dtype and ndim whose shapes
            agree except along axis 1 (along axis 0 for 1-D inputs).

    Returns:
        Variable: the concatenation.
    """
    return Hstack().apply(tuple(xs))[0]

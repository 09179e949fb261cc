"""Join variables depth-wise, as numpy.dstack (``F.dstack``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Dstack(function_node.FunctionNode):
    """Concatenate along axis 2; ``(N,)`` counts as ``(1, N, 1)``, ``(M, N)`` as ``(M, N, 1)``."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        ndim = type_check.eval(x0.ndim)
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.ndim == x0.ndim)
            for d in range(ndim):
                if d != 2:
                    type_check.expect(t.shape[d] == x0.shape[d])

    def forward(self, inputs):
        self._shapes = [x.shape for x in inputs]
        return utils.get_xp(*inputs).dstack(inputs),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.array.split_axis import split_axis
        gy, = grad_outputs
        sizes = [1 if len(s) <= 2 else s[2] for s in self._shapes]
        pieces = split_axis(gy, numpy.cumsum(sizes[:-1]).tolist(), 2)
        return tuple(reshape(g, s) for g, s in zip(pieces, self._shapes))


def dstack(xs):
    """Concatenate variables along the third axis (as ``numpy.dstack``).

    Args:
        xs (list or tuple of Variable or array): variables of one dtype and ndim whose shapes
            agree except along axis 2 (inputs of fewer than 3 dimensions must match exactly).

    Returns:
        Variable: the concatenation.
    """
    return Dstack().apply(tuple(xs))[0]

"""Join variables row-wise, as numpy.vstack (``F.vstack``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Vstack(function_node.FunctionNode):
    """Concatenate along axis 0 after viewing 1-D inputs as ``(1, N)`` rows."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        ndim = type_check.eval(x0.ndim)
        for t in in_types[1:]:
            type_check.expect(t.dtype == x0.dtype, t.ndim == x0.ndim)
            for d in range(ndim):
                if d != 0 or ndim <= 1:
                    type_check.expect(t.shape[d] == x0.shape[d])

    def forward(self, inputs):
        self._shapes = [x.shape for x in inputs]
        return utils.get_xp(*inputs).vstack(inputs),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.array.split_axis import split_axis
        gy, = grad_outputs
        sizes = [1 if len(s) <= 1 else s[0] for s in self._shapes]
        pieces = split_axis(gy, numpy.cumsum(sizes[:-1]).tolist(), 0)
        return tuple(reshape(g, s) for g, s in zip(pieces, self._shapes))


def vstack(xs):
    """Concatenate variables vertically (as ``numpy.vstack``).

    Args:
        xs (list or tuple of Variable or array): variables of one dtype and ndim whose shapes
            agree except along axis 0 (1-D inputs must have equal lengths).

    Returns:
        Variable: the concatenation.
    """
    return Vstack().apply(tuple(xs))[0]

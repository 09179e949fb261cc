"""Matrix inverse of one matrix or a batch of matrices (``F.inv``, ``F.batch_inv``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Inv(function_node.FunctionNode):
    """Inverse of square matrices over the last two axes (``batched``: a 3-d input).

    Backward: ``gx = -y^T gy y^T`` with ``y = x^-1``, written with matmul so it can be
    differentiated again.
    """

    def __init__(self, batched=False):
        self.batched = batched

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a',))
        type_check.expect(in_types.size() == 1)
        a = in_types[0]
        type_check.expect(a.dtype.kind == 'f', a.ndim == (3 if self.batched else 2),
                          a.shape[-1] == a.shape[-2])

    def forward(self, inputs):
        self.retain_outputs((0,))
        a, = inputs
        xp = utils.get_xp(a)
        if a.dtype == 'float16':
            # LAPACK has no half precision; invert in single precision.
            y = _inverse(xp, a.astype('float32')).astype(a.dtype)
        else:
            y = _inverse(xp, a)
        return utils.force_array(y),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.matmul import matmul
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        return -matmul(matmul(y, gy, transa=True), y, transb=True),


class BatchInv(Inv):
    """:class:`Inv` of a batch ``(B, N, N)`` of square matrices."""

    def __init__(self):
        super().__init__(batched=True)


def _inverse(xp, a):
    try:
        return xp.linalg.inv(a)
    except numpy.linalg.LinAlgError:  # cupy raises numpy's error too (when it checks)
        raise ValueError('F.inv: the input has a singular matrix') from None


def inv(a):
    """Inverse of the square matrix ``a`` (2-d, floating)."""
    return Inv(batched=False).apply((a,))[0]


def batch_inv(a):
    """Inverses of a batch of square matrices ``a`` of shape ``(B, N, N)``."""
    return BatchInv().apply((a,))[0]

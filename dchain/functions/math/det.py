"""Determinant of one matrix or a batch of matrices (``F.det``, ``F.batch_det``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class BatchDet(function_node.FunctionNode):
    """Determinants of square matrices over the last two axes (``batched``: a 3-d input).

    Backward: ``gx = gy * det(x) * x^-T`` (Jacobi's formula), composed of inv, so it can be
    differentiated again. Singular matrices have no such gradient.
    """

    def __init__(self, batched=True):
        self.batched = batched

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a',))
        type_check.expect(in_types.size() == 1)
        a = in_types[0]
        type_check.expect(a.dtype.kind == 'f', a.ndim == (3 if self.batched else 2),
                          a.shape[-1] == a.shape[-2])

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        a, = inputs
        xp = utils.get_xp(a)
        if a.dtype == 'float16':
            return utils.force_array(xp.linalg.det(a.astype('float32')).astype(a.dtype)),
        return utils.force_array(xp.linalg.det(a)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.broadcast_to import broadcast_to
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.inv import Inv
        a, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        a_inv = Inv(self.batched).apply((a,))[0]
        scale = reshape(gy * y, y.shape + (1, 1))
        return broadcast_to(scale, a.shape) * _swap_last(a_inv),


def _swap_last(x):
    from dchain.functions.array.transpose import transpose
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return transpose(x, axes)


def det(a):
    """Determinant of the square matrix ``a`` (2-d, floating); a 0-d result."""
    return BatchDet(batched=False).apply((a,))[0]


def batch_det(a):
    """Determinants of a batch of square matrices ``a`` of shape ``(B, N, N)``."""
    return BatchDet(batched=True).apply((a,))[0]

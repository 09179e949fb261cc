"""Matrix product of two variables (``a @ b``, ``F.matmul``), batched over leading axes."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _swap(a):
    return a.swapaxes(-1, -2) if a.ndim >= 2 else a


class MatMul(function_node.FunctionNode):
    """``matmul(a, b)`` with optional transposition of the last two axes of each input."""

    def __init__(self, transa=False, transb=False):
        self.transa = transa
        self.transb = transb

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a', 'b'))
        type_check.expect(in_types.size() == 2)
        a, b = in_types
        type_check.expect(a.dtype.kind == 'f', a.dtype == b.dtype, a.ndim >= 1, b.ndim >= 1)
        a_ndim, b_ndim = type_check.eval(a.ndim), type_check.eval(b.ndim)
        if a_ndim >= 2 and b_ndim >= 2:
            a_axis = -2 if self.transa else -1
            b_axis = -1 if self.transb else -2
            type_check.expect(a.shape[a_axis] == b.shape[b_axis])
        elif a_ndim == 1 and b_ndim == 1:
            type_check.expect(a.shape[0] == b.shape[0])
        elif a_ndim == 1:
            type_check.expect(a.shape[0] == b.shape[-1 if self.transb else -2])
        else:
            type_check.expect(a.shape[-2 if self.transa else -1] == b.shape[0])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        a, b = inputs
        if self.transa:
            a = _swap(a)
        if self.transb:
            b = _swap(b)
        xp = utils.get_xp(a)
        return utils.force_array(xp.matmul(a, b)),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum_to import sum_to
        a, b = self.get_retained_inputs()
        gy, = grad_outputs
        a_shape, b_shape = a.shape, b.shape
        # Promote vectors to matrices so one rule covers every case.
        if a.ndim == 1:
            a = reshape(a, (1,) + a.shape)
            gy = reshape(gy, gy.shape[:-1] + (1,) + gy.shape[-1:]) if b.ndim >= 2 else \
                reshape(gy, gy.shape + (1,))
        if b.ndim == 1:
            b = reshape(b, b.shape + (1,))
            gy = reshape(gy, gy.shape + (1,))
        # A 1-d input has no axes to transpose; after promotion it must not be transposed.
        transa = self.transa and len(a_shape) >= 2
        transb = self.transb and len(b_shape) >= 2
        ret = []
        for i in indexes:
            # With A = op(a), B = op(b): dA = gy @ B^T and dB = A^T @ gy.
            if i == 0:
                if transa:
                    g = matmul(b, gy, transa=transb, transb=True)
                else:
                    g = matmul(gy, b, transb=not transb)
                shape = a_shape
            else:
                if transb:
                    g = matmul(gy, a, transa=True, transb=transa)
                else:
                    g = matmul(a, gy, transa=not transa)
                shape = b_shape
            if len(shape) == 1:
                g = reshape(g, g.shape[:-2] + shape)
            if g.shape != shape:
                g = sum_to(g, shape)
            ret.append(g)
        return tuple(ret)


def matmul(a, b, transa=False, transb=False):
    """Matrix product ``a @ b`` (numpy.matmul semantics, batched over leading axes).

    Args:
        a, b (Variable or array): floating inputs of one dtype.
        transa (bool): transpose the last two axes of ``a`` first.
        transb (bool): transpose the last two axes of ``b`` first.
    """
    return MatMul(transa, transb).apply((a, b))[0]

"""Cholesky factor of a symmetric positive-definite matrix (``F.cholesky``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class Cholesky(function_node.FunctionNode):
    """Lower-triangular ``L`` with ``L L^T = a``.

    LAPACK reads only the lower triangle of ``a``, so the gradient lives there too: with the
    symmetric gradient ``S = sym(L^-T Phi(L^T gL) L^-1)`` (``Phi``: lower triangle, halved
    diagonal), ``ga`` is ``S`` on the diagonal and ``2 S`` below it. Written with matmul and
    inv, so it can be differentiated again.
    """

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a',))
        type_check.expect(in_types.size() == 1)
        a = in_types[0]
        type_check.expect(a.dtype.kind == 'f', a.ndim == 2, a.shape[0] == a.shape[1])

    def forward(self, inputs):
        self.retain_outputs((0,))
        a, = inputs
        xp = utils.get_xp(a)
        work = a.astype(numpy.float32) if a.dtype == numpy.float16 else a
        try:
            y = xp.linalg.cholesky(work)
        except numpy.linalg.LinAlgError:
            raise ValueError('F.cholesky: the input is not positive definite') from None
        return utils.force_array(y, a.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.inv import inv
        from dchain.functions.math.matmul import matmul
        L, = self.get_retained_outputs()
        gL, = grad_outputs
        xp = L.xp
        n = L.shape[0]
        dtype = L.dtype
        lower = xp.tril(xp.ones((n, n), dtype=dtype))
        eye = xp.eye(n, dtype=dtype)
        # The upper triangle of L is constant zero: its gradient does not flow back.
        gL = gL * lower
        phi = matmul(L, gL, transa=True) * (lower - eye * 0.5)
        L_inv = inv(L)
        s = matmul(matmul(L_inv, phi, transa=True), L_inv)
        s = (s + s.T) * 0.5
        return s * (lower * 2 - eye),


def cholesky(a):
    """Cholesky factor ``L`` (lower-triangular) of a symmetric positive-definite ``a``.

    Args:
        a (Variable or array): a floating ``(n, n)`` matrix; only its lower triangle is read.
    """
    return Cholesky().apply((a,))[0]

"""Elementwise Hurwitz zeta function ``sum_k (q + k)^-x`` (``F.zeta``).

Euler-Maclaurin summation in :mod:`dchain.functions.math._special` (no scipy), for ``x > 1``
and ``q > 0``; inf at ``x = 1`` and nan where the series diverges or ``q <= 0``.
"""
import numpy

from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.functions.math import _special
from dchain.utils import type_check


class Zeta(function_node.FunctionNode):
    """``zeta(x, q)`` for a constant exponent array ``x``; differentiable in ``q`` only:
    ``d/dq zeta(x, q) = -x zeta(x + 1, q)``."""

    def __init__(self, x):
        self._x = x

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('q',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f',
                          in_types[0].dtype == self._x.dtype)
        type_check.expect_broadcast_shapes(self._x.shape, in_types[0].shape)

    def forward(self, inputs):
        self.retain_inputs((0,))
        q, = inputs
        xp = utils.get_xp(q)
        s, q64 = xp.broadcast_arrays(xp.asarray(self._x, numpy.float64),
                                     xp.asarray(q, numpy.float64))
        valid = (s > 1) & (q64 > 0)
        with numpy.errstate(divide='ignore', invalid='ignore', over='ignore'):
            z = _special._hurwitz_zeta(xp, xp.where(valid, s, 2.0), xp.where(valid, q64, 1.0))
        z = xp.where(valid, z, xp.where((s == 1) & (q64 > 0), numpy.inf, numpy.nan))
        return utils.force_array(z, q.dtype),

    def backward(self, indexes, grad_outputs):
        q, = self.get_retained_inputs()
        gy, = grad_outputs
        g = gy * -self._x * zeta(self._x + 1, q)
        if g.shape != q.shape:
            from dchain.functions.math.sum_to import sum_to
            g = sum_to(g, q.shape)
        return g,


def zeta(x, q):
    """Elementwise Hurwitz zeta function.

    Args:
        x (array or float): the exponent (no gradient), broadcastable with ``q``; an array
            must have ``q``'s dtype.
        q (Variable or array): the floating offset; the gradient flows to it.
    """
    q_array = variable.as_array(q)
    x = variable.as_array(x)
    if not hasattr(x, 'dtype'):
        xp = utils.get_xp(q_array)
        x = xp.asarray(x, dtype=q_array.dtype)
    return Zeta(x).apply((q,))[0]

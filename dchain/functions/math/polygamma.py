"""Elementwise polygamma function, the n-th derivative of digamma (``F.polygamma``).

``psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x)`` for ``n >= 1`` with the Hurwitz zeta by
Euler-Maclaurin summation, digamma for ``n = 0`` (:mod:`dchain.functions.math._special`,
no scipy). Negative ``x`` is shifted up by whole steps, so very negative arguments are slow.
"""
from dchain import function_node
from dchain import utils
from dchain.functions.math import _special
from dchain.utils import type_check


class PolyGamma(function_node.FunctionNode):
    """``polygamma(n, x)``: ``n`` integer (no gradient), ``x`` floating, same shape."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('n', 'x'))
        type_check.expect(in_types.size() == 2)
        n, x = in_types
        type_check.expect(n.dtype.kind == 'i', x.dtype.kind == 'f')
        type_check.expect_broadcast_shapes(n.shape, x.shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        n, x = inputs
        xp = utils.get_xp(x)
        if (n < 0).any():
            raise ValueError('F.polygamma: n must be non-negative')
        return utils.force_array(_special.polygamma(xp, n, x), x.dtype),

    def backward(self, indexes, grad_outputs):
        n, x = self.get_retained_inputs()
        return None, grad_outputs[0] * polygamma(n.array + 1, x)


def polygamma(n, x):
    """Elementwise ``n``-th derivative of the digamma function at ``x``.

    Args:
        n (int, Variable or array): the order(s), non-negative integers.
        x (Variable or array): floating input.
    """
    import numpy
    if isinstance(n, int):
        from dchain import variable
        xp = variable.as_variable(x).xp
        n = xp.full(numpy.shape(variable.as_array(x)), n, dtype=numpy.int32)
    return PolyGamma().apply((n, x))[0]

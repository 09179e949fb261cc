"""Bilinear function of two vectors (``F.bilinear``).

It is written with differentiable operations (one outer product and one matrix product), so
its backward, and the backward of that, come from matmul and reshape.
"""
from dchain import variable
from dchain.utils import type_check


def _check_types(in_types):
    n_in = type_check.eval(in_types.size())
    if n_in not in (3, 6):
        type_check.expect(in_types.size() == 3)
    type_check.argname(in_types, ('e1', 'e2', 'W', 'V1', 'V2', 'b')[:n_in])
    e1, e2, W = in_types[:3]
    type_check.expect(
        e1.dtype.kind == 'f', e1.ndim >= 2, e2.ndim >= 2, e1.shape[0] == e2.shape[0],
        e2.dtype == e1.dtype, W.dtype == e1.dtype, W.ndim == 3,
        e1.size == e1.shape[0] * W.shape[0], e2.size == e2.shape[0] * W.shape[1])
    if n_in == 6:
        V1, V2, b = in_types[3:]
        type_check.expect(
            V1.dtype == e1.dtype, V1.ndim == 2, V1.shape[0] == W.shape[0],
            V1.shape[1] == W.shape[2],
            V2.dtype == e1.dtype, V2.ndim == 2, V2.shape[0] == W.shape[1],
            V2.shape[1] == W.shape[2],
            b.dtype == e1.dtype, b.ndim == 1, b.shape[0] == W.shape[2])


def bilinear(e1, e2, W, V1=None, V2=None, b=None):
    """Bilinear map: ``y_l = sum_jk e1_j e2_k W_jkl + sum_j e1_j V1_jl + sum_k e2_k V2_kl + b_l``.

    Args:
        e1 (Variable or array): left inputs of shape ``(B, J)`` (more axes are flattened).
        e2 (Variable or array): right inputs of shape ``(B, K)``.
        W (Variable or array): bilinear weight of shape ``(J, K, L)``.
        V1 (Variable or array): weight of ``e1`` of shape ``(J, L)``.
        V2 (Variable or array): weight of ``e2`` of shape ``(K, L)``.
        b (Variable or array): bias of shape ``(L,)``. ``V1``, ``V2`` and ``b`` must be given
            all together or not at all.

    Returns:
        Variable: of shape ``(B, L)``.
    """
    from dchain.functions.array.reshape import reshape
    from dchain.functions.math.matmul import matmul
    flags = [a is None for a in (V1, V2, b)]
    if any(flags) and not all(flags):
        raise ValueError('bilinear: V1, V2 and b must be given all together or not at all')
    args = (e1, e2, W) if all(flags) else (e1, e2, W, V1, V2, b)
    type_check.run_check(_check_types, [variable.as_array(a) for a in args], 'bilinear')
    batch = e1.shape[0]
    j, k, n_out = W.shape
    e1 = reshape(e1, (batch, j, 1))
    e2 = reshape(e2, (batch, 1, k))
    outer = reshape(e1 * e2, (batch, j * k))
    y = matmul(outer, reshape(W, (j * k, n_out)))
    if V1 is not None:
        y = y + matmul(reshape(e1, (batch, j)), V1) + matmul(reshape(e2, (batch, k)), V2) + b
    return y

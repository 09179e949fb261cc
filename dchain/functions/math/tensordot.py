"""Tensor dot product over given axes (``F.tensordot``), one BLAS call each way."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _normalize_axes(axes, a_ndim, b_ndim):
    """``axes`` as two equal-length tuples of non-negative axes of ``a`` and ``b``."""
    if isinstance(axes, int):
        if axes < 0 or axes > a_ndim or axes > b_ndim:
            raise ValueError('F.tensordot: axes={} is out of range for inputs of {} and {} '
                             'dimensions'.format(axes, a_ndim, b_ndim))
        return tuple(range(a_ndim - axes, a_ndim)), tuple(range(axes))
    try:
        a_axes, b_axes = axes
    except (TypeError, ValueError):
        raise TypeError('F.tensordot: axes must be an int or a pair of axis sequences, got '
                        '{!r}'.format(axes)) from None
    if isinstance(a_axes, int):
        a_axes = (a_axes,)
    if isinstance(b_axes, int):
        b_axes = (b_axes,)
    a_axes, b_axes = tuple(a_axes), tuple(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError('F.tensordot: axes {} and {} differ in length'.format(a_axes, b_axes))
    for axis, ndim in [(a, a_ndim) for a in a_axes] + [(b, b_ndim) for b in b_axes]:
        if not -ndim <= axis < ndim:
            raise ValueError('F.tensordot: axis {} is out of range for {} dimensions'.format(
                axis, ndim))
    a_axes = tuple(a % a_ndim for a in a_axes)
    b_axes = tuple(b % b_ndim for b in b_axes)
    if len(set(a_axes)) != len(a_axes) or len(set(b_axes)) != len(b_axes):
        raise ValueError('F.tensordot: repeated axis in {}'.format(axes))
    return a_axes, b_axes


class TensorDot(function_node.FunctionNode):
    """``tensordot(a, b, axes)``: contract ``a``'s axes ``a_axes`` with ``b``'s ``b_axes``.

    The output axes are ``a``'s remaining axes followed by ``b``'s, each in order.
    """

    def __init__(self, axes=2):
        self.axes = axes

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a', 'b'))
        type_check.expect(in_types.size() == 2)
        a, b = in_types
        type_check.expect(a.dtype.kind == 'f', a.dtype == b.dtype)
        a_axes, b_axes = _normalize_axes(self.axes, type_check.eval(a.ndim),
                                         type_check.eval(b.ndim))
        for i, j in zip(a_axes, b_axes):
            type_check.expect(a.shape[i] == b.shape[j])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        a, b = inputs
        self._axes = _normalize_axes(self.axes, a.ndim, b.ndim)
        xp = utils.get_xp(a)
        return utils.force_array(xp.tensordot(a, b, self._axes)),

    def backward(self, indexes, grad_outputs):
        a, b = self.get_retained_inputs()
        gy, = grad_outputs
        a_axes, b_axes = self._axes
        a_free = [i for i in range(a.ndim) if i not in a_axes]
        b_free = [i for i in range(b.ndim) if i not in b_axes]
        n_a_free = len(a_free)
        gy_a_part = tuple(range(n_a_free))
        gy_b_part = tuple(range(n_a_free, gy.ndim))
        ret = []
        for i in indexes:
            if i == 0:
                # gy (a_free, b_free) . b over b_free -> (a_free, b's contracted axes sorted)
                g = tensordot(gy, b, (gy_b_part, tuple(b_free)))
                contracted_order = sorted(b_axes)
                # position in g of the a-axis paired with each contracted b-axis
                tail = [a_axes[b_axes.index(bx)] for bx in contracted_order]
                current = a_free + tail
                ret.append(_permute_to(g, current))
            else:
                # a . gy over a_free -> (a's contracted axes sorted, b_free)
                g = tensordot(a, gy, (tuple(a_free), gy_a_part))
                contracted_order = sorted(a_axes)
                head = [b_axes[a_axes.index(ax)] for ax in contracted_order]
                current = head + b_free
                ret.append(_permute_to(g, current))
        return tuple(ret)


def _permute_to(g, current):
    """Transpose ``g`` whose axis k is original axis ``current[k]`` into original order."""
    from dchain.functions.array.transpose import transpose
    order = tuple(sorted(range(len(current)), key=lambda k: current[k]))
    if order == tuple(range(len(current))):
        return g
    return transpose(g, order)


def tensordot(a, b, axes=2):
    """Tensor dot product of ``a`` and ``b`` along the given axes.

    Args:
        a, b (Variable or array): floating inputs of one dtype.
        axes (int or pair of sequences): an int ``N`` contracts the last ``N`` axes of ``a``
            with the first ``N`` of ``b``; a pair ``(a_axes, b_axes)`` lists the axes to
            contract, paired in order (as in ``numpy.tensordot``).
    """
    return TensorDot(axes).apply((a, b))[0]

"""Add values into a copy of a variable at indexed places (``F.scatter_add``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.array.get_item import GetItem
from dchain.functions.array.get_item import _is_advanced
from dchain.functions.array.get_item import _normalize_slices
from dchain.functions.array.get_item import add_at
from dchain.utils import type_check


class ScatterAdd(function_node.FunctionNode):
    """``y = a.copy(); y[slices] += b``, accumulating where advanced indexes repeat."""

    def __init__(self, slices):
        self.slices = _normalize_slices(slices)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('a', 'b'))
        type_check.expect(in_types.size() == 2)
        a_type, b_type = in_types
        type_check.expect(a_type.dtype == b_type.dtype)

    def forward(self, inputs):
        a, b = inputs
        xp = utils.get_xp(a, b)
        try:
            target_shape = a[self.slices].shape
        except IndexError as e:
            raise IndexError('scatter_add: index {} is invalid for a of shape {}: {}'.format(
                self.slices, a.shape, e)) from None
        try:
            b_full = xp.broadcast_to(b, target_shape)
        except ValueError:
            raise type_check.InvalidType(
                'b broadcastable to a[slices].shape {}'.format(target_shape),
                'b.shape == {}'.format(b.shape)) from None
        self._b_shape = b.shape
        y = a.copy()
        if _is_advanced(self.slices):
            add_at(y, self.slices, b_full)
        else:
            y[self.slices] += b_full
        return y,

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.sum_to import sum_to
        gy, = grad_outputs
        ret = []
        if 0 in indexes:
            ret.append(gy)
        if 1 in indexes:
            ret.append(sum_to(GetItem(self.slices).apply((gy,))[0], self._b_shape))
        return tuple(ret)


def scatter_add(a, slices, b):
    """Return a copy of ``a`` with ``b`` added at ``a[slices]``.

    Unlike ``a[slices] += b`` in numpy, additions to an element indexed several times by an
    advanced index all accumulate.

    Args:
        a (Variable or array): the base variable.
        slices: any index :func:`get_item` accepts.
        b (Variable or array): values of ``a``'s dtype, broadcastable to ``a[slices].shape``.

    Returns:
        Variable: the result, of ``a``'s shape.
    """
    return ScatterAdd(slices).apply((a, b))[0]

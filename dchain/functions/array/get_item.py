"""Indexing of a variable: basic, advanced and boolean (``x[...]``, ``F.get_item``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _normalize_slices(slices):
    if not isinstance(slices, tuple):
        slices = (slices,)
    out = []
    for s in slices:
        s = getattr(s, 'array', s)  # a Variable used as an index array
        if isinstance(s, list):
            s = numpy.asarray(s)
            if s.dtype == numpy.float64 and s.size == 0:
                s = s.astype(numpy.intp)
        out.append(s)
    return tuple(out)


def add_at(target, slices, values):
    """``target[slices] += values`` in place, accumulating where advanced indexes repeat."""
    if isinstance(target, numpy.ndarray):
        numpy.add.at(target, slices, values)
    else:
        import cupyx
        cupyx.scatter_add(target, slices, values)


def _is_advanced(slices):
    return any(not isinstance(s, (int, numpy.integer, slice, type(None), type(Ellipsis)))
               for s in slices)


class GetItem(function_node.FunctionNode):
    """``x[slices]`` for any numpy index (ints, slices, None, Ellipsis, int or bool arrays)."""

    def __init__(self, slices):
        self.slices = _normalize_slices(slices)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)

    def forward(self, inputs):
        x, = inputs
        self._x_shape = x.shape
        self._x_dtype = x.dtype
        try:
            y = x[self.slices]
        except IndexError as e:
            raise IndexError('get_item: index {} is invalid for a variable of shape {}: {}'
                             .format(self.slices, x.shape, e)) from None
        return utils.force_array(y),

    def backward(self, indexes, grad_outputs):
        return GetItemGrad(self.slices, self._x_shape, self._x_dtype).apply(grad_outputs)


class GetItemGrad(function_node.FunctionNode):
    """Scatter ``gy`` into zeros of the input's shape (adding where indexes repeat)."""

    def __init__(self, slices, in_shape, in_dtype):
        self.slices = slices
        self._in_shape = in_shape
        self._in_dtype = in_dtype

    def forward(self, inputs):
        gy, = inputs
        xp = utils.get_xp(gy)
        gx = xp.zeros(self._in_shape, self._in_dtype)
        if _is_advanced(self.slices):
            add_at(gx, self.slices, gy)
        else:
            gx[self.slices] = gy
        return gx,

    def backward(self, indexes, grad_outputs):
        return GetItem(self.slices).apply(grad_outputs)


def get_item(x, slices):
    """Return ``x[slices]`` as a differentiable Variable.

    Args:
        x (Variable or array): the variable to index.
        slices: anything numpy accepts as an index: ints, slices, ``None``, ``Ellipsis``,
            integer arrays or lists (advanced indexing; repeated indexes accumulate gradient),
            boolean masks, or a tuple of these.
    """
    return GetItem(slices).apply((x,))[0]

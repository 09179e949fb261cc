"""Split a variable into pieces along one axis (``F.split_axis``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


def _is_int(value):
    return isinstance(value, (int, numpy.integer)) and not isinstance(value, bool)


class SplitAxis(function_node.FunctionNode):
    """Split along ``axis`` into ``sections`` equal pieces or at ``indices``."""

    def __init__(self, indices_or_sections, axis):
        if _is_int(indices_or_sections):
            if indices_or_sections <= 0:
                raise ValueError('split_axis: indices_or_sections must be positive when it is '
                                 'an int, got {}'.format(indices_or_sections))
            self.sections = int(indices_or_sections)
            self.indices = None
        else:
            try:
                indices = [int(i) for i in indices_or_sections]
            except TypeError:
                raise TypeError('split_axis: indices_or_sections must be an int or a sequence '
                                'of ints, got {!r}'.format(indices_or_sections)) from None
            if not all(_is_int(i) for i in indices_or_sections):
                raise TypeError('split_axis: indices_or_sections must hold ints, got {!r}'
                                .format(indices_or_sections))
            self.sections = None
            self.indices = tuple(indices)
        if not _is_int(axis):
            raise TypeError('split_axis: axis must be an int, got {!r}'.format(axis))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        if self.axis >= 0:
            type_check.expect(x_type.ndim > self.axis)
        else:
            type_check.expect(x_type.ndim >= -self.axis)
        if self.sections is not None:
            ndim = type_check.eval(x_type.ndim)
            type_check.expect(x_type.shape[self.axis % ndim] % self.sections == 0)

    def _bounds(self, length):
        if self.sections is not None:
            step = length // self.sections
            return [step * i for i in range(self.sections + 1)]
        bounds = [0]
        for i in self.indices:
            if i < 0:
                i += length
            bounds.append(min(max(i, 0), length))
        bounds.append(length)
        if any(a > b for a, b in zip(bounds, bounds[1:])):
            raise ValueError('split_axis: indices_or_sections {} must be non-decreasing (after '
                             'resolving negative indices against length {})'.format(
                                 self.indices, length))
        return bounds

    def forward(self, inputs):
        x, = inputs
        axis = self.axis % x.ndim
        bounds = self._bounds(x.shape[axis])
        lead = (slice(None),) * axis
        ys = tuple(x[lead + (slice(a, b),)] for a, b in zip(bounds, bounds[1:]))
        self._axis = axis
        self._shapes = [y.shape for y in ys]
        self._dtype = x.dtype
        return ys

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.concat import Concat
        from dchain.variable import Variable
        xp = None
        for g in grad_outputs:
            if g is not None:
                xp = g.xp
                break
        gys = [g if g is not None else Variable(xp.zeros(shape, self._dtype),
                                                requires_grad=False)
               for g, shape in zip(grad_outputs, self._shapes)]
        return Concat(self._axis).apply(gys)


def split_axis(x, indices_or_sections, axis, force_tuple=True):
    """Split ``x`` into several variables along ``axis``.

    Args:
        x (Variable or array): the variable to split.
        indices_or_sections (int or sequence of int): an int ``n`` splits into ``n`` pieces of
            equal length (the length must be divisible); a sequence gives the split points as
            numpy.split does.
        axis (int): the axis to split along.
        force_tuple (bool): when False and the split yields a single piece, return that
            Variable instead of a one-element tuple.

    Returns:
        tuple of Variable (or one Variable, see ``force_tuple``).
    """
    ys = SplitAxis(indices_or_sections, axis).apply((x,))
    if not force_tuple and len(ys) == 1:
        return ys[0]
    return ys

"""Permute the axes of a variable (``F.transpose``, ``Variable.T``)."""
from dchain import function_node
from dchain.utils import type_check


class Transpose(function_node.FunctionNode):
    """Permute axes by ``axes`` (None reverses them)."""

    def __init__(self, axes=None):
        self.axes = axes

    @property
    def label(self):
        return 'Transpose'

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        if self.axes is not None:
            type_check.expect(in_types[0].ndim == len(self.axes))

    def forward(self, inputs):
        x, = inputs
        axes = self.axes
        if axes is not None and sorted(a % x.ndim for a in axes) != list(range(x.ndim)):
            raise ValueError('transpose: axes {} are not a permutation of {} axes'.format(
                axes, x.ndim))
        return x.transpose(axes),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        axes = self.axes
        if axes is None:
            inv_axes = None
        else:
            ndim = len(axes)
            inv_axes = tuple(sorted(range(ndim), key=lambda i: axes[i] % ndim))
        return Transpose(inv_axes).apply((gy,))


def transpose(x, axes=None):
    """Permute the axes of ``x``; ``axes=None`` reverses their order."""
    return Transpose(None if axes is None else tuple(axes)).apply((x,))[0]

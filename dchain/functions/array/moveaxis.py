"""Move axes of a variable to new positions (``F.moveaxis``)."""
from dchain import backend
from dchain import function_node
from dchain.functions.array import _axes
from dchain.utils import type_check


class Moveaxis(function_node.FunctionNode):
    """Move axes ``source`` to positions ``destination``, keeping the others' order."""

    def __init__(self, source, destination):
        self.source = _axes.as_int_tuple(source, 'moveaxis', 'source')
        self.destination = _axes.as_int_tuple(destination, 'moveaxis', 'destination')
        if len(self.source) != len(self.destination):
            raise ValueError('moveaxis: source {} and destination {} must have the same number '
                             'of elements'.format(self.source, self.destination))

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        for a in self.source + self.destination:
            _axes.expect_axis(type_check, in_types[0], a)

    def forward(self, inputs):
        x, = inputs
        for name, axes in (('source', self.source), ('destination', self.destination)):
            if len({a % x.ndim for a in axes}) != len(axes):
                raise ValueError('moveaxis: repeated axis in {} {}'.format(name, axes))
        xp = backend.get_array_module(x)
        return xp.moveaxis(x, self.source, self.destination),

    def backward(self, indexes, grad_outputs):
        return Moveaxis(self.destination, self.source).apply(grad_outputs)


def moveaxis(x, source, destination):
    """Move axes of ``x`` (as ``numpy.moveaxis``).

    Args:
        x (Variable or array): input.
        source (int or tuple of int): original positions of the axes to move.
        destination (int or tuple of int): their positions in the result.
    """
    return Moveaxis(source, destination).apply((x,))[0]

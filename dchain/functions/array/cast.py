"""Change the dtype of a variable, differentiably (``F.cast``)."""
import numpy

from dchain import function_node
from dchain.utils import type_check


class Cast(function_node.FunctionNode):
    """Cast a floating input to ``typ``; the gradient is cast back to the input dtype."""

    def __init__(self, typ):
        try:
            self.type = numpy.dtype(typ)
        except TypeError:
            raise TypeError('cast: typ must be a dtype, got {!r}'.format(typ)) from None

    @property
    def label(self):
        return 'Cast'

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1, in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        self._in_type = x.dtype
        return x.astype(self.type, copy=False),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        if self.type.kind != 'f':
            return None,
        return Cast(self._in_type).apply((gy,))


def cast(x, typ):
    """Cast ``x`` to the dtype ``typ``.

    Args:
        x (Variable or array): floating input.
        typ (dtype or str): the target dtype (e.g. ``numpy.float16``).

    Returns:
        Variable: ``x`` itself (wrapped in a Variable if it was an array) when its dtype is
        already ``typ``; otherwise a new variable whose gradient is cast back.
    """
    from dchain.variable import Variable
    if x.dtype == numpy.dtype(typ):
        return x if isinstance(x, Variable) else Variable(x)
    return Cast(typ).apply((x,))[0]

"""Reshape a variable without copying its data (``F.reshape``, ``Variable.reshape``)."""
from dchain import function_node
from dchain.utils import type_check


def _resolve_shape(shape, size):
    unknown = [i for i, s in enumerate(shape) if s < 0]
    if len(unknown) > 1:
        raise ValueError('reshape: at most one dimension can be -1, got {}'.format(shape))
    if unknown:
        known = 1
        for s in shape:
            if s >= 0:
                known *= s
        if known == 0 or size % known:
            raise ValueError('reshape: cannot infer -1 in {} for {} elements'.format(shape, size))
        shape = tuple(size // known if s < 0 else s for s in shape)
    return shape


class Reshape(function_node.FunctionNode):
    """Reshape to ``shape`` (one entry may be -1)."""

    def __init__(self, shape):
        self.shape = shape

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        size = type_check.eval(x_type.size)
        shape = self.shape
        if any(s < 0 for s in shape):
            known = 1
            for s in shape:
                if s >= 0:
                    known *= s
            type_check.expect(known > 0, size % known == 0 if known else False)
        else:
            known = 1
            for s in shape:
                known *= s
            type_check.expect(x_type.size == known)

    def forward(self, inputs):
        x, = inputs
        return x.reshape(self.shape),

    def backward(self, indexes, grad_outputs):
        x_shape = self.inputs[0].shape
        return Reshape(x_shape).apply(grad_outputs)


def reshape(x, shape):
    """Return ``x`` reshaped to ``shape`` (a tuple; one entry may be -1).

    The result shares memory with ``x`` when numpy can view it.
    """
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(int(s) for s in shape)
    if getattr(x, 'shape', None) == shape:
        from dchain.functions.array.identity import identity
        return identity(x)
    return Reshape(shape).apply((x,))[0]

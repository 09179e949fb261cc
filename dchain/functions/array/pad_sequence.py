"""Pad variable-length sequences into one batch array (``F.pad_sequence``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class PadSequence(function_node.FunctionNode):
    """Stack sequences ``xs[i]`` of shape ``(L_i, ...)`` into ``(B, length, ...)``."""

    def __init__(self, length, padding):
        if length is not None and length < 0:
            raise ValueError('pad_sequence: length must be non-negative, got {}'.format(length))
        self.length = length
        self.padding = padding

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        x0 = in_types[0]
        type_check.expect(x0.ndim >= 1)
        ndim = type_check.eval(x0.ndim)
        for t in in_types:
            type_check.expect(t.ndim == x0.ndim, t.dtype == x0.dtype)
            for d in range(1, ndim):
                type_check.expect(t.shape[d] == x0.shape[d])
            if self.length is not None:
                type_check.expect(t.shape[0] <= self.length)

    def forward(self, inputs):
        xp = utils.get_xp(*inputs)
        self._lengths = [len(x) for x in inputs]
        length = max(self._lengths) if self.length is None else self.length
        shape = (len(inputs), length) + inputs[0].shape[1:]
        y = xp.full(shape, self.padding, dtype=inputs[0].dtype)
        for i, x in enumerate(inputs):
            y[i, :len(x)] = x
        return y,

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.get_item import GetItem
        gy, = grad_outputs
        return tuple(GetItem((i, slice(0, n))).apply((gy,))[0]
                     for i, n in enumerate(self._lengths))


def pad_sequence(xs, length=None, padding=0):
    """Pad sequences of different lengths to one length and stack them.

    Args:
        xs (list or tuple of Variable or array): sequences of shape ``(L_i, ...)`` with equal
            trailing shapes and one dtype.
        length (int or None): padded length; None uses the longest sequence.
        padding (scalar): value of the padding.

    Returns:
        Variable: of shape ``(len(xs), length, ...)``.
    """
    return PadSequence(length, padding).apply(tuple(xs))[0]

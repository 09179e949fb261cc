"""Rearrange spatial blocks into channel blocks (``F.space2depth``), inverse of depth2space."""
from dchain import function_node
from dchain.functions.array import _axes
from dchain.utils import type_check


class Space2Depth(function_node.FunctionNode):
    """``(B, C, r*H, r*W)`` to ``(B, r*r*C, H, W)``."""

    def __init__(self, r):
        self.r = _axes.as_int(r, 'space2depth', 'r')
        if self.r < 1:
            raise ValueError('space2depth: r must be positive, got {}'.format(r))

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('X',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == 4,
                          x_type.shape[2] % self.r == 0, x_type.shape[3] % self.r == 0)

    def forward(self, inputs):
        x, = inputs
        b, c, h, w = x.shape
        r = self.r
        h //= r
        w //= r
        y = x.reshape(b, c, h, r, w, r).transpose(0, 3, 5, 1, 2, 4)
        return y.reshape(b, r * r * c, h, w),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.depth2space import Depth2Space
        return Depth2Space(self.r).apply(grad_outputs)


def space2depth(X, r):  # noqa: N803 (Chainer's argument name)
    """Move each ``r x r`` spatial block into the channel axis.

    Args:
        X (Variable or array): floating input of shape ``(B, C, r*H, r*W)``.
        r (int): the downscaling factor.

    Returns:
        Variable: of shape ``(B, r*r*C, H, W)``; channel ``(i * r + j) * C + c`` holds the
        pixels at offset ``(i, j)`` of the blocks of channel ``c``.
    """
    return Space2Depth(r).apply((X,))[0]

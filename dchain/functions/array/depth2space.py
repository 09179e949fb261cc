"""Rearrange channel blocks into spatial blocks (``F.depth2space``).

Channel ``(i * r + j) * C + c`` of the input becomes the pixel at offset ``(i, j)`` of each
``r x r`` block of output channel ``c`` (TensorFlow's depth_to_space layout).
"""
from dchain import function_node
from dchain.functions.array import _axes
from dchain.utils import type_check


class Depth2Space(function_node.FunctionNode):
    """``(B, r*r*C, H, W)`` to ``(B, C, r*H, r*W)``."""

    def __init__(self, r):
        self.r = _axes.as_int(r, 'depth2space', 'r')
        if self.r < 1:
            raise ValueError('depth2space: r must be positive, got {}'.format(r))

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('X',))
        type_check.expect(in_types.size() == 1)
        x_type = in_types[0]
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim == 4,
                          x_type.shape[1] % (self.r * self.r) == 0)

    def forward(self, inputs):
        x, = inputs
        b, c, h, w = x.shape
        r = self.r
        c //= r * r
        y = x.reshape(b, r, r, c, h, w).transpose(0, 3, 4, 1, 5, 2)
        return y.reshape(b, c, h * r, w * r),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.space2depth import Space2Depth
        return Space2Depth(self.r).apply(grad_outputs)


def depth2space(X, r):  # noqa: N803 (Chainer's argument name)
    """Move blocks of channels into ``r x r`` spatial blocks.

    Args:
        X (Variable or array): floating input of shape ``(B, r*r*C, H, W)``.
        r (int): the upscaling factor.

    Returns:
        Variable: of shape ``(B, C, r*H, r*W)``; :func:`space2depth` is its inverse.
    """
    return Depth2Space(r).apply((X,))[0]

"""Parametric ReLU (``F.prelu``): a leaky ReLU whose slope is learned."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


def _slope_shape(x_ndim, w_shape):
    """Shape that broadcasts W over axis 0 and the axes after W's."""
    return (1,) + tuple(w_shape) + (1,) * (x_ndim - len(w_shape) - 1)


class PReLUFunction(function_node.FunctionNode):
    """``x`` where ``x >= 0``, ``W * x`` elsewhere; ``W`` spans axes ``1 .. W.ndim``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 'W'))
        type_check.expect(in_types.size() == 2)
        x_type, w_type = in_types
        type_check.expect(
            x_type.dtype.kind == 'f',
            w_type.dtype == x_type.dtype,
            x_type.ndim >= w_type.ndim + 1,
        )
        for i in range(type_check.eval(w_type.ndim)):
            type_check.expect(x_type.shape[i + 1] == w_type.shape[i])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs
        xp = utils.get_xp(x)
        w = W.reshape(_slope_shape(x.ndim, W.shape))
        zero = x.dtype.type(0)
        return utils.force_array(xp.maximum(x, zero) + xp.minimum(x, zero) * w, x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum_to import sum_to
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        neg = (x.array < 0).astype(x.dtype)
        shape = _slope_shape(x.ndim, W.shape)
        ret = []
        for i in indexes:
            if i == 0:
                w = reshape(W, shape)
                ret.append(gy * (1 - neg) + gy * w * neg)
            else:
                ret.append(reshape(sum_to(gy * x * neg, shape), W.shape))
        return tuple(ret)


def prelu(x, W):
    """Parametric ReLU: ``x`` if ``x >= 0`` else ``W * x``.

    ``W`` is broadcast along the batch axis (0) and the axes after ``1 + W.ndim``: its shape
    must equal ``x.shape[1:1 + W.ndim]`` (a 0-dim ``W`` is one slope for everything).

    Args:
        x (Variable or array): floating input.
        W (Variable or array): slopes of the negative part.

    Returns:
        Variable: output of the same shape and dtype as ``x``.
    """
    return PReLUFunction().apply((x, W))[0]

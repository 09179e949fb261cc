"""Swish (``F.swish``): ``x * sigmoid(beta * x)`` with a learnable ``beta``."""
from dchain import function_node
from dchain import utils
from dchain.functions.activation.prelu import _slope_shape
from dchain.utils import type_check


def _sigmoid(v):
    xp = utils.get_xp(v)
    half = v.dtype.type(0.5)
    return xp.tanh(v * half) * half + half


class Swish(function_node.FunctionNode):
    """``x * sigmoid(beta * x)``; ``beta`` spans axes ``1 .. beta.ndim`` of ``x``."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 'beta'))
        type_check.expect(in_types.size() == 2)
        x_type, beta_type = in_types
        type_check.expect(
            x_type.dtype.kind == 'f',
            beta_type.dtype == x_type.dtype,
            x_type.ndim >= beta_type.ndim + 1,
        )
        for i in range(type_check.eval(beta_type.ndim)):
            type_check.expect(x_type.shape[i + 1] == beta_type.shape[i])

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, beta = inputs
        b = beta.reshape(_slope_shape(x.ndim, beta.shape))
        return utils.force_array(x * _sigmoid(b * x), x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.activation.sigmoid import sigmoid
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum_to import sum_to
        x, beta = self.get_retained_inputs()
        gy, = grad_outputs
        shape = _slope_shape(x.ndim, beta.shape)
        b = reshape(beta, shape)
        s = sigmoid(b * x)
        # d/dz sigmoid(z) = s (1 - s), with z = beta * x.
        ds = gy * x * s * (1 - s)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy * s + ds * b)
            else:
                ret.append(reshape(sum_to(ds * x, shape), beta.shape))
        return tuple(ret)


def swish(x, beta):
    """Swish activation ``x * sigmoid(beta * x)`` (Ramachandran et al., 2017).

    ``beta`` is broadcast along the batch axis (0) and the axes after ``1 + beta.ndim``; its
    shape must equal ``x.shape[1:1 + beta.ndim]``.

    Args:
        x (Variable or array): floating input.
        beta (Variable or array): the scaling parameter.

    Returns:
        Variable: output of the same shape and dtype as ``x``.
    """
    return Swish().apply((x, beta))[0]

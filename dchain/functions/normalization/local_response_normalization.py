"""Local response normalization across channels (``F.local_response_normalization``)."""
from dchain import function_node
from dchain import utils
from dchain.config import config
from dchain.utils import type_check
from dchain.variable import Variable


def _channel_window_sum(a, half):
    """Sum of ``a`` over channels ``c - half .. c + half`` (axis 1), by a cumulative sum."""
    xp = utils.get_xp(a)
    pad = [(0, 0)] * a.ndim
    pad[1] = (half + 1, half)
    c = xp.cumsum(xp.pad(a, pad), axis=1)
    n = a.shape[1]
    return c[:, 2 * half + 1:2 * half + 1 + n] - c[:, :n]


def _band(xp, n, half, dtype):
    idx = xp.arange(n)
    return (abs(idx[:, None] - idx[None, :]) <= half).astype(dtype)


class LocalResponseNormalization(function_node.FunctionNode):
    """``y = x * (k + alpha * sum_{window} x^2) ^ -beta`` over a window of channels."""

    def __init__(self, n=5, k=2, alpha=1e-4, beta=.75):
        if not isinstance(n, int) or n <= 0:
            raise ValueError('n must be a positive int, got {!r}'.format(n))
        self.n = n
        self.k = k
        self.alpha = alpha
        self.beta = beta

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 1)
        type_check.argname(in_types, ('x',))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim >= 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        dtype = x.dtype.type
        scale = _channel_window_sum(x * x, self.n // 2) * dtype(self.alpha) + dtype(self.k)
        return utils.force_array(x * scale ** dtype(-self.beta), x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        half = self.n // 2
        if config.enable_backprop:
            return self._backward_graph(x, gy, half),
        x, gy = x.array, gy.array
        dtype = x.dtype.type
        scale = _channel_window_sum(x * x, half) * dtype(self.alpha) + dtype(self.k)
        scale_pow = scale ** dtype(-self.beta)
        # The window is symmetric, so the transposed window sum is the same window sum.
        inner = _channel_window_sum(gy * x * scale_pow / scale, half)
        gx = gy * scale_pow - dtype(2 * self.alpha * self.beta) * x * inner
        return Variable(utils.force_array(gx, x.dtype), requires_grad=False),

    def _backward_graph(self, x, gy, half):
        # The same gradient from differentiable operations; the channel window sum becomes a
        # product with a band matrix along the channel axis.
        from dchain.functions.math.matmul import matmul
        from dchain.functions.array.transpose import transpose
        xp = x.xp
        band = Variable(_band(xp, x.shape[1], half, x.dtype), requires_grad=False)
        perm = (0,) + tuple(range(2, x.ndim)) + (1,)
        inv = [0] * x.ndim
        for i, p in enumerate(perm):
            inv[p] = i

        def window(v):
            return transpose(matmul(transpose(v, perm), band), tuple(inv))
        scale = window(x * x) * self.alpha + self.k
        scale_pow = scale ** -self.beta
        inner = window(gy * x * scale_pow / scale)
        return gy * scale_pow - (2 * self.alpha * self.beta) * x * inner


def local_response_normalization(x, n=5, k=2, alpha=1e-4, beta=.75):
    """Local response normalization across the channels (axis 1).

    ``y_c = x_c / (k + alpha * sum_{c' = c - n//2}^{c + n//2} x_{c'}^2) ^ beta``.

    Args:
        x (Variable or array): input of shape ``(B, C, ...)``.
        n (int): window width (channels ``c - n//2 .. c + n//2`` are summed).
        k (float): additive constant.
        alpha (float): scale of the sum of squares.
        beta (float): exponent.

    Returns:
        Variable: of the shape of ``x``.
    """
    return LocalResponseNormalization(n, k, alpha, beta).apply((x,))[0]

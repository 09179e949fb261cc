"""Linear layer with DropConnect on its weights (``F.simplified_dropconnect``)."""
from dchain import function_node
from dchain import utils
from dchain.utils import type_check


class SimplifiedDropconnect(function_node.FunctionNode):
    """``y = x (W * mask / (1 - ratio))^T + b`` with a random 0/1 ``mask`` on ``W``.

    With ``use_batchwise_mask`` every example gets its own mask ``(N, out, in)``; otherwise
    one ``(out, in)`` mask serves the whole batch.
    """

    def __init__(self, ratio, mask=None, use_batchwise_mask=True):
        if not 0.0 <= ratio < 1.0:
            raise ValueError('dropconnect ratio must be in [0, 1), got {}'.format(ratio))
        self.ratio = ratio
        self.mask = mask
        self.use_batchwise_mask = use_batchwise_mask

    def check_type_forward(self, in_types):
        n_in = type_check.eval(in_types.size())
        type_check.argname(in_types, ('x', 'W', 'b'))
        type_check.expect(2 <= in_types.size(), in_types.size() <= 3)
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == 'f',
            w_type.dtype == x_type.dtype,
            x_type.ndim >= 2,
            w_type.ndim == 2,
        )
        x_shape = type_check.eval(x_type.shape)
        in_size = 1
        for s in x_shape[1:]:
            in_size *= s
        type_check.expect(w_type.shape[1] == in_size)
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[0],
            )
        if self.mask is not None:
            if self.use_batchwise_mask:
                type_check.expect(x_type.shape[0] == self.mask.shape[0],
                                  w_type.shape == self.mask.shape[1:])
            else:
                type_check.expect(w_type.shape == self.mask.shape)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        xp = utils.get_xp(x)
        x2 = x.reshape(len(x), -1)
        if self.mask is None:
            shape = (len(x),) + W.shape if self.use_batchwise_mask else W.shape
            self.mask = xp.random.rand(*shape) >= self.ratio
        scale = x.dtype.type(1.0 / (1.0 - self.ratio))
        self._scaled_mask = self.mask.astype(x.dtype) * scale
        if self.use_batchwise_mask:
            w = W * self._scaled_mask
            y = xp.matmul(w, x2[:, :, None])[:, :, 0]
        else:
            y = x2.dot((W * self._scaled_mask).T)
        if len(inputs) == 3:
            y += inputs[2]
        return utils.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum import sum as sum_
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        n = x.shape[0]
        x2 = reshape(x, (n, -1))
        m = self._scaled_mask
        ret = []
        for i in indexes:
            if i == 0:
                if self.use_batchwise_mask:
                    g = sum_(reshape(gy, gy.shape + (1,)) * W * m, axis=1)
                else:
                    g = gy @ (W * m)
                ret.append(reshape(g, x.shape))
            elif i == 1:
                if self.use_batchwise_mask:
                    outer = reshape(gy, gy.shape + (1,)) * reshape(x2, (n, 1, x2.shape[1]))
                    ret.append(sum_(outer * m, axis=0))
                else:
                    ret.append((gy.T @ x2) * m)
            else:
                ret.append(sum_(gy, axis=0))
        return tuple(ret)


def simplified_dropconnect(x, W, b=None, ratio=.5, train=True, mask=None,
                           use_batchwise_mask=True):
    """Linear function whose weights are dropped at random (simplified DropConnect).

    Each weight is zeroed with probability ``ratio`` and the others are scaled by
    ``1 / (1 - ratio)``; with ``train=False`` nothing is dropped. Inputs of more than two
    dimensions are flattened to ``(N, -1)``.

    Args:
        x (Variable or array): input of shape ``(N, ...)``.
        W (Variable or array): weight of shape ``(out_size, in_size)``.
        b (Variable or array): bias of shape ``(out_size,)``, or None.
        ratio (float): drop probability, in ``[0, 1)``.
        train (bool): drop weights only when True.
        mask (array): 0/1 mask to use instead of sampling: shape ``(N, out_size, in_size)``
            with ``use_batchwise_mask``, else ``(out_size, in_size)``.
        use_batchwise_mask (bool): sample a separate mask for each example.

    Returns:
        Variable: output of shape ``(N, out_size)``.
    """
    if not train:
        ratio = 0
    inputs = (x, W) if b is None else (x, W, b)
    return SimplifiedDropconnect(ratio, mask, use_batchwise_mask).apply(inputs)[0]

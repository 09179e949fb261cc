"""Fully connected layer as a function: ``y = x W^T + b`` (``F.linear``)."""
from dchain import _backprop
from dchain import function_node
from dchain import utils
from dchain import variable
from dchain.utils import type_check


class LinearFunction(function_node.FunctionNode):
    """``x W^T (+ b)`` on a 2-d ``x``; backward is written with matmul and sum."""

    def check_type_forward(self, in_types):
        n_in = type_check.eval(in_types.size())
        type_check.expect(in_types.size() >= 2, in_types.size() <= 3)
        names = ('x', 'W', 'b')[:n_in]
        type_check.argname(in_types, names)
        x_type, w_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == 'f',
            w_type.dtype == x_type.dtype,
            x_type.ndim == 2,
            w_type.ndim == 2,
            x_type.shape[1] == w_type.shape[1],
        )
        if n_in == 3:
            b_type = in_types[2]
            type_check.expect(
                b_type.dtype == x_type.dtype,
                b_type.ndim == 1,
                b_type.shape[0] == w_type.shape[0],
            )

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        y = x.dot(W.T)
        if len(inputs) == 3:
            y += inputs[2]
        return utils.force_array(y),

    def backward(self, indexes, grad_outputs):
        from dchain.functions.math.matmul import matmul
        from dchain.functions.math.sum import sum as sum_
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            # A parameter's gradient may have a place waiting for it (a bucket slot of the
            # distributed reducer): computing it there saves copying it there afterwards.
            out = _backprop.grad_destination(self.inputs[i]) if i else None
            if i == 0:
                ret.append(_grad_x(x, W, gy))
            elif i == 1:
                if out is None:
                    ret.append(matmul(gy, x, transa=True))
                else:
                    ret.append(_computed_into(out, utils.get_xp(out).matmul, gy.array.T,
                                              x.array))
            elif out is None:
                ret.append(sum_(gy, axis=0))
            else:
                ret.append(_computed_into(out, gy.array.sum, axis=0))
        return tuple(ret)


def _grad_x(x, W, gy):
    """``gy W``, laid out in memory as ``x`` is.

    An ``x`` stored column-major (a batch-last activation flattened for a classifier, as
    after a convolution and pooling) gets its gradient column-major too, computed as
    ``(W^T gy^T)^T`` by the same GEMM: the layer below then reads it in its own order
    instead of gathering it across rows (max pooling's backward: 0.4 ms a step in
    ``benchmarks/convnet_step.py``).
    """
    from dchain.functions.array.transpose import transpose
    from dchain.functions.math.matmul import matmul
    if x.array.flags.f_contiguous and not x.array.flags.c_contiguous:
        return transpose(matmul(W, gy, transa=True, transb=True))
    return matmul(gy, W)


def _computed_into(out, compute, *args, **kwargs):
    compute(*args, out=out, **kwargs)
    return variable.Variable(out, requires_grad=False)


def linear(x, W, b=None, n_batch_axes=1):
    """Fully connected layer: ``y = x W^T + b``.

    Args:
        x (Variable or array): input of shape ``(s_1, ..., s_n, d_1, ..., d_m)`` where the
            first ``n_batch_axes`` axes are batch axes; the rest are flattened.
        W (Variable or array): weight of shape ``(M, d_1 * ... * d_m)``.
        b (Variable or array): bias of shape ``(M,)``, or None.
        n_batch_axes (int): number of leading batch axes of ``x``.

    Returns:
        Variable: of shape ``(s_1, ..., s_n, M)``.
    """
    from dchain.functions.array.reshape import reshape
    if n_batch_axes <= 0:
        raise ValueError('n_batch_axes must be positive, got {}'.format(n_batch_axes))
    batch_shape = x.shape[:n_batch_axes]
    if x.ndim != 2 or n_batch_axes != 1:
        batch_size = 1
        for s in batch_shape:
            batch_size *= s
        x = reshape(x, (batch_size, -1))
    args = (x, W) if b is None else (x, W, b)
    y = LinearFunction().apply(args)[0]
    if n_batch_axes > 1:
        y = reshape(y, batch_shape + (-1,))
    return y

"""Batch normalization with given statistics (``F.fixed_batch_normalization``)."""
from dchain import function_node
from dchain import utils
from dchain.functions.normalization.batch_normalization import (
    _compute_dtype, check_param_types, compute_axis, keep_shape)
from dchain.utils import type_check


class FixedBatchNormalization(function_node.FunctionNode):
    """``gamma * (x - mean) / sqrt(var + eps) + beta`` with ``mean`` and ``var`` as inputs."""

    def __init__(self, eps=2e-5, axis=None):
        if eps <= 0:
            raise ValueError('eps must be positive, got {}'.format(eps))
        self.eps = eps
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 5)
        type_check.argname(in_types, ('x', 'gamma', 'beta', 'mean', 'var'))
        x_type, gamma_type = in_types[:2]
        type_check.expect(x_type.dtype.kind == 'f', gamma_type.ndim >= 1,
                          x_type.ndim > gamma_type.ndim)
        axis = compute_axis(type_check.eval(x_type.ndim), type_check.eval(gamma_type.ndim),
                            self.axis)
        check_param_types(in_types, x_type, axis, 1)

    def forward(self, inputs):
        self.retain_inputs((0, 1, 3, 4))
        x, gamma, beta, mean, var = inputs
        axis = self._axis = compute_axis(x.ndim, gamma.ndim, self.axis)
        kshape = keep_shape(x.shape, axis)
        dtype = _compute_dtype(x.dtype)
        inv_std = (var.astype(dtype, copy=False) + dtype.type(self.eps)) ** dtype.type(-0.5)
        scale = (gamma.astype(dtype, copy=False) * inv_std).reshape(kshape)
        y = (x.astype(dtype, copy=False) - mean.reshape(kshape).astype(dtype, copy=False))
        y *= scale
        y += beta.reshape(kshape).astype(dtype, copy=False)
        return utils.force_array(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        # Elementwise and cheap; written with differentiable operations for double backprop.
        from dchain.functions.array.reshape import reshape
        from dchain.functions.math.sum import sum as sum_
        from dchain.functions.array.cast import cast
        x, gamma, mean, var = self.get_retained_inputs()
        gy, = grad_outputs
        param_dtype = gamma.dtype
        if param_dtype != x.dtype:
            gamma, mean, var = (cast(v, x.dtype) for v in (gamma, mean, var))
        axis = self._axis
        pshape = gamma.shape
        kshape = keep_shape(x.shape, axis)
        inv_std = (var + self.eps) ** -0.5
        scale = gamma * inv_std
        x_hat = (x - reshape(mean, kshape)) * reshape(inv_std, kshape)
        ret = []
        gbeta = ggamma = None
        for i in indexes:
            if i == 0:
                ret.append(gy * reshape(scale, kshape))
            elif i == 1 or i == 4:
                if ggamma is None:
                    ggamma = reshape(sum_(gy * x_hat, axis=axis), pshape)
                ret.append(ggamma if i == 1 else -0.5 * ggamma * scale * inv_std)
            else:
                if gbeta is None:
                    gbeta = reshape(sum_(gy, axis=axis), pshape)
                ret.append(gbeta if i == 2 else -gbeta * scale)
        if param_dtype != x.dtype:
            ret = [g if k == 0 else cast(g, param_dtype) for k, g in zip(indexes, ret)]
        return tuple(ret)


def fixed_batch_normalization(x, gamma, beta, mean, var, eps=2e-5, axis=None):
    """Batch normalization with fixed statistics (inference mode of batch normalization).

    Args:
        x (Variable or array): input.
        gamma, beta (Variable or array): scale and shift, shaped as ``x`` without the
            reduced axes.
        mean, var (Variable or array): the statistics to normalize with, of the same shape.
        eps (float): added to ``var`` for stability.
        axis (int or tuple of int): reduced axes (see :func:`batch_normalization`).

    Returns:
        Variable: output of the shape of ``x``.
    """
    return FixedBatchNormalization(eps, axis).apply((x, gamma, beta, mean, var))[0]

"""Batch normalization with batch statistics (``F.batch_normalization``)."""
import numpy

from dchain import function_node
from dchain import utils
from dchain.config import config
from dchain.utils import type_check
from dchain.variable import Variable


def compute_axis(x_ndim, gamma_ndim, axis):
    """The axes to normalize over, as a sorted tuple of non-negative ints.

    With ``axis=None``, ``gamma`` describes axes ``1 .. gamma_ndim`` of ``x`` and every other
    axis (the batch axis and the trailing ones) is reduced, as Chainer does.
    """
    if axis is None:
        return (0,) + tuple(range(gamma_ndim + 1, x_ndim))
    if isinstance(axis, int):
        axis = (axis,)
    try:
        axis = tuple(int(a) for a in axis)
    except TypeError:
        raise TypeError('axis must be None, an int or a tuple of ints, got {!r}'.format(
            axis)) from None
    normalized = tuple(sorted(a % x_ndim if -x_ndim <= a < x_ndim else a for a in axis))
    for a in normalized:
        if not 0 <= a < x_ndim:
            raise ValueError('axis {} is out of range for an input of {} dimensions'.format(
                axis, x_ndim))
    if len(set(normalized)) != len(normalized):
        raise ValueError('axis {} has a duplicate entry'.format(axis))
    return normalized


def param_shape(x_shape, axis):
    """Shape of gamma/beta/mean/var: ``x_shape`` without the reduced axes."""
    return tuple(s for i, s in enumerate(x_shape) if i not in axis)


def keep_shape(x_shape, axis):
    """Shape of the statistics with reduced axes kept as 1 (broadcastable against x)."""
    return tuple(1 if i in axis else s for i, s in enumerate(x_shape))


def _compute_dtype(dtype):
    # Half precision loses too much in sums of squares; compute statistics in float32.
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


def check_param_types(in_types, x_type, axis, start):
    """Expect ``in_types[start:]`` (gamma, beta ...) to share one floating dtype (which may
    differ from x's, e.g. float32 parameters for float16 inputs) and x's reduced shape."""
    x_ndim = type_check.eval(x_type.ndim)
    first = in_types[start]
    type_check.expect(first.dtype.kind == 'f')
    for t in in_types[start:]:
        type_check.expect(t.dtype == first.dtype, t.ndim == x_ndim - len(axis))
    x_shape = type_check.eval(x_type.shape)
    kept = [i for i in range(x_ndim) if i not in axis]
    for t in in_types[start:]:
        for j, i in enumerate(kept):
            type_check.expect(t.shape[j] == x_shape[i])


class BatchNormalization(function_node.FunctionNode):
    """Normalize ``x`` with the mean and variance over ``axis``, then scale and shift.

    Running averages given to the constructor are updated in place during forward.
    """

    def __init__(self, eps=2e-5, mean=None, var=None, decay=0.9, axis=None):
        if eps <= 0:
            raise ValueError('eps must be positive, got {}'.format(eps))
        self.eps = eps
        self.running_mean = mean
        self.running_var = var
        self.decay = decay
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() == 3)
        type_check.argname(in_types, ('x', 'gamma', 'beta'))
        x_type, gamma_type, beta_type = in_types
        type_check.expect(x_type.dtype.kind == 'f',
                          gamma_type.ndim >= 1,
                          x_type.ndim > gamma_type.ndim)
        axis = compute_axis(type_check.eval(x_type.ndim), type_check.eval(gamma_type.ndim),
                            self.axis)
        check_param_types(in_types, x_type, axis, 1)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, gamma, beta = inputs
        axis = self._axis = compute_axis(x.ndim, gamma.ndim, self.axis)
        kshape = keep_shape(x.shape, axis)
        dtype = _compute_dtype(x.dtype)
        xc = x.astype(dtype, copy=False)
        m = x.size // gamma.size
        mean = xc.mean(axis=axis, keepdims=True)
        y = xc - mean
        var = (y * y).mean(axis=axis, keepdims=True)
        inv_std = (var + dtype.type(self.eps)) ** dtype.type(-0.5)
        self._mean, self._inv_std = mean, inv_std
        scale = gamma.reshape(kshape).astype(dtype, copy=False) * inv_std
        y *= scale
        y += beta.reshape(kshape).astype(dtype, copy=False)

        if self.running_mean is not None:
            decay = self.decay
            rm = self.running_mean
            rm *= decay
            rm += ((1 - decay) * mean.reshape(rm.shape)).astype(rm.dtype, copy=False)
        if self.running_var is not None:
            # Chainer keeps the unbiased variance in the running average.
            decay = self.decay
            rv = self.running_var
            adjust = m / max(m - 1., 1.)
            rv *= decay
            rv += ((1 - decay) * adjust * var.reshape(rv.shape)).astype(rv.dtype, copy=False)
        return utils.force_array(y.astype(x.dtype, copy=False)),

    def backward(self, indexes, grad_outputs):
        x, gamma = self.get_retained_inputs()
        gy, = grad_outputs
        if config.enable_backprop:
            return _batch_norm_grad_graph(x, gamma, gy, self._axis, self.eps)
        return self._backward_arrays(x.array, gamma.array, gy.array)

    def _backward_arrays(self, x, gamma, gy):
        # Plain backward (no double backprop): one fused pass over arrays.
        axis = self._axis
        kshape = keep_shape(x.shape, axis)
        dtype = _compute_dtype(x.dtype)
        m = dtype.type(x.size // gamma.size)
        x_hat = x.astype(dtype) - self._mean
        x_hat *= self._inv_std
        gy = gy.astype(dtype, copy=False)
        gbeta = gy.sum(axis=axis, keepdims=True)
        ggamma = (gy * x_hat).sum(axis=axis, keepdims=True)
        coef = gamma.reshape(kshape).astype(dtype, copy=False) * self._inv_std
        # gx = coef * (gy - (x_hat * ggamma + gbeta) / m), built in x_hat's buffer.
        gx = x_hat
        gx *= ggamma / m
        gx += gbeta / m
        gx -= gy
        gx *= -coef
        pshape = gamma.shape
        return (Variable(utils.force_array(gx.astype(x.dtype, copy=False)), requires_grad=False),
                Variable(utils.force_array(ggamma.reshape(pshape).astype(gamma.dtype,
                                                                           copy=False)),
                         requires_grad=False),
                Variable(utils.force_array(gbeta.reshape(pshape).astype(gamma.dtype,
                                                                          copy=False)),
                         requires_grad=False))


def _batch_norm_grad_graph(x, gamma, gy, axis, eps):
    """The gradients of batch normalization built from differentiable operations.

    The statistics are recomputed from ``x`` inside the graph so that the gradient of the
    gradient accounts for their dependence on ``x``.
    """
    from dchain.functions.array.cast import cast
    from dchain.functions.array.reshape import reshape
    from dchain.functions.math.sum import sum as sum_
    param_dtype = gamma.dtype
    if param_dtype != x.dtype:
        gamma = cast(gamma, x.dtype)
    kshape = keep_shape(x.shape, axis)
    pshape = gamma.shape
    inv_m = 1.0 / (x.size // gamma.size)
    mean = sum_(x, axis=axis, keepdims=True) * inv_m
    xc = x - mean
    var = sum_(xc * xc, axis=axis, keepdims=True) * inv_m
    inv_std = (var + eps) ** -0.5
    x_hat = xc * inv_std
    gbeta = sum_(gy, axis=axis, keepdims=True)
    ggamma = sum_(gy * x_hat, axis=axis, keepdims=True)
    coef = reshape(gamma, kshape) * inv_std
    gx = coef * (gy - (x_hat * ggamma + gbeta) * inv_m)
    ggamma, gbeta = reshape(ggamma, pshape), reshape(gbeta, pshape)
    if param_dtype != x.dtype:
        ggamma, gbeta = cast(ggamma, param_dtype), cast(gbeta, param_dtype)
    return gx, ggamma, gbeta


def batch_normalization(x, gamma, beta, **kwargs):
    """Batch normalization: ``gamma * (x - mean) / sqrt(var + eps) + beta``.

    The mean and variance are taken over the mini-batch along ``axis``.

    Args:
        x (Variable or array): input.
        gamma (Variable or array): scale, shaped as ``x`` without the reduced axes.
        beta (Variable or array): shift, of the same shape as ``gamma``.
        eps (float): added to the variance for stability (default ``2e-5``).
        running_mean (array): running average of the mean, updated in place (or None).
        running_var (array): running average of the unbiased variance, updated in place.
        decay (float): decay rate of the running averages (default ``0.9``).
        axis (int or tuple of int): axes to reduce. Default: the first axis and every axis
            after those ``gamma`` covers, i.e. ``(0, 2, 3)`` for images with a 1-d gamma.

    Returns:
        Variable: normalized output of the shape of ``x``.
    """
    eps = kwargs.pop('eps', 2e-5)
    running_mean = kwargs.pop('running_mean', None)
    running_var = kwargs.pop('running_var', None)
    decay = kwargs.pop('decay', 0.9)
    axis = kwargs.pop('axis', None)
    if kwargs:
        raise TypeError('batch_normalization got unexpected keyword arguments: {}'.format(
            ', '.join(sorted(kwargs))))
    return BatchNormalization(eps, running_mean, running_var, decay, axis).apply(
        (x, gamma, beta))[0]

"""Batch normalization whose statistics are taken over the batches of all ranks."""
import numpy

from dchain import backend
from dchain.function_node import FunctionNode
from dchain.utils import type_check


def _reduced_shape(shape, axis):
    return tuple(1 if i in axis else s for i, s in enumerate(shape))


class MultiNodeBatchNormalizationFunction(FunctionNode):
    """``gamma * (x - mean) / sqrt(var + eps) + beta`` with mean/var over every rank's batch.

    One allreduce of (sum, sum of squares, count) in forward and one of (sum of gy, sum of
    gy * x_hat) in backward; ``gamma``/``beta`` get this rank's gradients (the data-parallel
    optimizer averages them).
    """

    def __init__(self, comm, eps, axis, running_mean=None, running_var=None, decay=0.9):
        self.comm = comm
        self.eps = eps
        self.axis = axis
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x', 'gamma', 'beta'))
        type_check.expect(in_types.size() == 3)
        x, gamma, beta = in_types
        type_check.expect(x.dtype.kind == 'f', gamma.dtype == x.dtype, beta.dtype == x.dtype,
                          gamma.shape == beta.shape)

    def forward(self, inputs):
        x, gamma, beta = inputs
        xp = backend.get_array_module(x)
        axis = tuple(a % x.ndim for a in self.axis)
        local_count = x.size // gamma.size
        stats = xp.concatenate([x.sum(axis=axis).ravel(), (x * x).sum(axis=axis).ravel(),
                                xp.asarray([local_count], dtype=x.dtype)]).astype(numpy.float64)
        total = self.comm.allreduce(stats)
        c = gamma.size
        count = float(total[-1])
        mean = (total[:c] / count)
        var = numpy.maximum(total[c:2 * c] / count - mean * mean, 0)
        mean = xp.asarray(mean.astype(x.dtype))
        var = xp.asarray(var.astype(x.dtype))
        shape = _reduced_shape(x.shape, axis)
        gshape = gamma.shape
        self._inv_std = (1.0 / xp.sqrt(var + x.dtype.type(self.eps))).astype(x.dtype)
        x_hat = (x - mean.reshape(shape)) * self._inv_std.reshape(shape)
        y = x_hat * gamma.reshape(shape) + beta.reshape(shape)
        self._x_hat = x_hat
        self._count = count
        self._axis = axis
        self.retain_inputs((1,))
        if self.running_mean is not None:
            unbiased = var * (count / max(count - 1.0, 1.0))
            self.running_mean *= self.decay
            self.running_mean += (1 - self.decay) * mean.reshape(gshape)
            self.running_var *= self.decay
            self.running_var += (1 - self.decay) * unbiased.reshape(gshape)
        return y,

    def backward(self, indexes, grad_outputs):
        gamma, = self.get_retained_inputs()
        gy, = grad_outputs
        return MultiNodeBatchNormalizationGrad(self).apply((gamma, gy))


class MultiNodeBatchNormalizationGrad(FunctionNode):
    """Gradients of the multi-node batch normalization (not differentiable again)."""

    def __init__(self, forward_node):
        self.f = forward_node

    def forward(self, inputs):
        gamma, gy = inputs
        f = self.f
        xp = backend.get_array_module(gy)
        axis = f._axis
        shape = _reduced_shape(gy.shape, axis)
        gbeta = gy.sum(axis=axis)
        ggamma = (gy * f._x_hat).sum(axis=axis)
        c = gamma.size
        total = self.f.comm.allreduce(xp.concatenate([gbeta.ravel(), ggamma.ravel()]))
        gbeta_all = total[:c].reshape(shape)
        ggamma_all = total[c:].reshape(shape)
        coeff = (gamma.ravel() * f._inv_std.ravel()).reshape(shape)
        gx = coeff * (gy - (gbeta_all + f._x_hat * ggamma_all) / gy.dtype.type(f._count))
        return gx.astype(gy.dtype, copy=False), ggamma.reshape(gamma.shape), \
            gbeta.reshape(gamma.shape)

    def backward(self, indexes, grad_outputs):
        raise NotImplementedError('multi-node batch normalization cannot be differentiated '
                                  'twice')

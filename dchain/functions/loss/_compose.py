"""Differentiable building blocks composed of Variable operations, private to the loss functions.

Loss nodes compute their forward pass directly on arrays; their second-order gradients are
rarely on the hot path, so those are built from these compositions, which stay differentiable
to any order without depending on the activation category.
"""
import numpy

from dchain import variable
from dchain.functions.activation.tanh import tanh
from dchain.functions.math.exp import exp
from dchain.functions.math.log import log
from dchain.functions.math.sum import sum as _sum


def as_variable(x):
    if isinstance(x, variable.Variable):
        return x
    return variable.Variable(x, requires_grad=False)


def log_softmax(x, axis=1):
    """``x - logsumexp(x, axis)``; the max is shifted out as a constant, so it is stable."""
    x = as_variable(x)
    xp = x.xp
    m = xp.max(x.array, axis=axis, keepdims=True)
    shifted = x - m
    return shifted - log(_sum(exp(shifted), axis=axis, keepdims=True))


def softmax(x, axis=1):
    return exp(log_softmax(x, axis))


def sigmoid(x):
    # tanh form: never overflows, unlike 1 / (1 + exp(-x)).
    return tanh(as_variable(x) * 0.5) * 0.5 + 0.5


def relu(x):
    """``max(x, 0)`` as a masked product (the mask is a constant)."""
    x = as_variable(x)
    return x * (x.array > 0).astype(x.dtype)


def softplus(x):
    """``log(1 + exp(x))`` as ``max(x, 0) + log(1 + exp(-|x|))``, stable for any x."""
    x = as_variable(x)
    return relu(x) + log(exp(-abs(x)) + 1.0)


def expand_class_axis(a, axis=1):
    """Insert a length-1 axis so that per-sample values broadcast against class scores."""
    from dchain.functions.array.reshape import reshape
    shape = list(a.shape)
    shape.insert(axis, 1)
    return reshape(a, tuple(shape))


def onehot(t, n_class, dtype, xp=numpy, axis=1):
    """One-hot of integer labels along ``axis`` (labels outside ``[0, n_class)`` give zeros)."""
    classes = xp.arange(n_class).reshape((n_class,) + (1,) * (t.ndim - axis))
    return (xp.expand_dims(t, axis) == classes).astype(dtype)


def check_types(name, check, *inputs):
    """Run a ``check_type_forward``-style ``check`` for a function built by composition."""
    from dchain.utils import type_check
    arrays = tuple(getattr(x, 'array', x) for x in inputs)
    type_check.run_check(check, arrays, name)


def check_reduce(name, reduce, allowed):
    if reduce not in allowed:
        raise ValueError('{}: reduce must be one of {}, got {!r}'.format(
            name, ', '.join(repr(a) for a in allowed), reduce))


def scatter_add_rows(n_rows, index, values):
    """``out[index[i]] += values[i]`` into zeros of ``(n_rows,) + values.shape[1:]``.

    numpy's ``add.at`` is slow for row scatters; sorting the indexes and summing each run
    with ``add.reduceat`` does the same with vectorised passes.
    """
    xp = numpy if isinstance(values, numpy.ndarray) else None
    out_shape = (n_rows,) + values.shape[1:]
    if xp is None:
        import cupyx
        from dchain.backend import _gpu
        out = _gpu.cupy.zeros(out_shape, values.dtype)
        cupyx.scatter_add(out, index, values)
        return out
    out = numpy.zeros(out_shape, values.dtype)
    if index.size == 0:
        return out
    order = numpy.argsort(index, kind='stable')
    sorted_index = index[order]
    starts = numpy.flatnonzero(numpy.r_[True, sorted_index[1:] != sorted_index[:-1]])
    out[sorted_index[starts]] = numpy.add.reduceat(values[order], starts, axis=0)
    return out

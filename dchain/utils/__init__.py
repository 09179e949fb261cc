"""Small array utilities shared by functions and links."""
import numpy

from dchain import backend


def force_array(x, dtype=None):
    """Return ``x`` as an array (numpy makes 0-dim results scalars; functions must not)."""
    if type(x) is numpy.ndarray and (dtype is None or x.dtype == dtype):
        return x
    if numpy.isscalar(x) or isinstance(x, numpy.generic):
        return numpy.asarray(x, dtype=dtype)
    if dtype is not None and x.dtype != dtype:
        return x.astype(dtype, copy=False)
    return x


def force_type(dtype, value):
    """Cast a numpy scalar or array to ``dtype`` if it differs."""
    if numpy.isscalar(value):
        return dtype.type(value)
    if value.dtype != dtype:
        return value.astype(dtype, copy=False)
    return value


def sum_to(x, shape):
    """Sum the array ``x`` over broadcast axes so that it has ``shape``."""
    if x.shape == shape:
        return x
    ndim = len(shape)
    lead = x.ndim - ndim
    lead_axis = tuple(range(lead))
    axis = tuple(i + lead for i, sx in enumerate(shape) if sx == 1 and x.shape[i + lead] != 1)
    y = x.sum(lead_axis + axis, keepdims=True)
    if lead > 0:
        y = y.reshape(y.shape[lead:])
    return y


def size_of_shape(shape):
    size = 1
    for s in shape:
        size *= s
    return size


def get_xp(*arrays):
    return backend.get_array_module(*arrays)


from dchain.utils.walker_alias import WalkerAlias  # noqa: E402,F401  (Chainer's location)

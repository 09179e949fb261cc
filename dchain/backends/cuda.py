"""CUDA helpers with Chainer's names (``dchain.backends.cuda``, also ``dchain.cuda``).

``cupy`` is the CuPy module or ``None``; ``available`` says whether a GPU can be used. Every
function that needs a GPU raises :class:`dchain.backend.GpuUnavailableError` with install
instructions when none can.
"""
import functools

import numpy

from dchain import backend
from dchain.backend import _gpu
from dchain.backend import check_cuda_available  # noqa: F401

cupy = _gpu.cupy
available = _gpu.available
cudnn_enabled = False
if cupy is not None:
    try:
        import cupy.cuda.cudnn  # noqa: F401
        cudnn_enabled = available
    except Exception:
        cudnn_enabled = False

ndarray = cupy.ndarray if cupy is not None else None
get_array_module = backend.get_array_module


class DummyDeviceType:
    """Stands in for a CUDA device on the host: a context manager that does nothing."""

    id = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        pass

    def synchronize(self):
        pass

    def __eq__(self, other):
        return isinstance(other, DummyDeviceType)

    def __hash__(self):
        return hash(DummyDeviceType)


DummyDevice = DummyDeviceType()


def get_device_from_id(device_id):
    """Return the ``cupy.cuda.Device`` for ``device_id``, or ``DummyDevice`` for None/-1."""
    if device_id is None or device_id < 0:
        return DummyDevice
    check_cuda_available()
    return cupy.cuda.Device(device_id)


def get_device_from_array(*arrays):
    """Return the ``cupy.cuda.Device`` of the first cupy array, or ``DummyDevice``."""
    for array in arrays:
        array = getattr(array, 'array', array)
        if cupy is not None and isinstance(array, cupy.ndarray):
            return array.device
    return DummyDevice


def to_gpu(array, device=None, stream=None):
    """Copy ``array`` (or a list/tuple of arrays) to the GPU ``device`` (default: current)."""
    check_cuda_available()
    if device is None:
        device = cupy.cuda.Device().id
    elif not isinstance(device, int):
        device = getattr(device, 'id', device)
    return backend.get_device(device).send(array)


def to_cpu(array, stream=None):
    """Copy ``array`` (or a list/tuple of arrays) to host memory as numpy."""
    return backend.cpu_device.send(array)


def copy(array, out=None, out_device=None, stream=None):
    """Copy a cupy array, optionally onto another GPU."""
    check_cuda_available()
    if out is None:
        out = backend.get_device(out_device if out_device is not None
                                 else array.device.id).send(array.copy())
        return out
    out[...] = backend.get_device_from_array(out).send(array)
    return out


def get_cupy_device_id(array):
    return array.device.id if cupy is not None and isinstance(array, cupy.ndarray) else -1


@functools.lru_cache(maxsize=None)
def elementwise(in_params, out_params, operation, name, **kwargs):
    """Memoized ``cupy.ElementwiseKernel`` (compiled once per arguments)."""
    check_cuda_available()
    return cupy.ElementwiseKernel(in_params, out_params, operation, name, **kwargs)


@functools.lru_cache(maxsize=None)
def reduce(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name,
           **kwargs):
    """Memoized ``cupy.ReductionKernel``."""
    check_cuda_available()
    return cupy.ReductionKernel(in_params, out_params, map_expr, reduce_expr, post_map_expr,
                                identity, name, **kwargs)


@functools.lru_cache(maxsize=None)
def raw(code, name, *args, **kwargs):
    """Memoized ``cupy.RawKernel``."""
    check_cuda_available()
    return cupy.RawKernel(code, name, *args, **kwargs)


def is_cupy_array(array):
    return cupy is not None and isinstance(array, cupy.ndarray)


def using_device(device_id):
    return get_device_from_id(device_id)


def fuse(*args, **kwargs):
    """``cupy.fuse`` when CuPy is present; otherwise the function unchanged (runs on numpy)."""
    if cupy is not None:
        return cupy.fuse(*args, **kwargs)
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda f: f


__all__ = ['cupy', 'available', 'cudnn_enabled', 'ndarray', 'DummyDevice', 'get_device_from_id',
           'get_device_from_array', 'get_array_module', 'to_gpu', 'to_cpu', 'copy',
           'elementwise', 'reduce', 'raw', 'check_cuda_available', 'fuse']
del numpy

"""GPU devices backed by CuPy (specifier ``'@cupy:N'`` or a non-negative integer).

CuPy is optional. When it cannot be imported, ``cupy`` is ``None`` and every request for a GPU
device raises :class:`GpuUnavailableError` saying how to install the ``gpu`` extra.
"""
import numbers

import numpy

from dchain.backend._device import Device

try:
    import cupy
    import cupy.cuda  # noqa: F401  (fails on machines without the CUDA runtime)
    _import_error = None
except Exception as e:  # ImportError, or a CUDA runtime that cannot load
    cupy = None
    _import_error = e

available = cupy is not None
if available:
    try:
        available = cupy.cuda.runtime.getDeviceCount() > 0
    except Exception as e:
        available = False
        _import_error = e


class GpuUnavailableError(RuntimeError):
    """A GPU was requested but CuPy or a CUDA device is missing."""


def check_cuda_available():
    """Raise :class:`GpuUnavailableError`, saying what to install, unless a GPU can be used."""
    if not available:
        reason = ('CuPy is not installed' if cupy is None
                  else 'CuPy cannot reach a CUDA device')
        detail = ' ({}: {})'.format(type(_import_error).__name__, _import_error) \
            if _import_error is not None else ''
        raise GpuUnavailableError(
            'GPU requested but {}{}. Install the gpu extra on a machine with an NVIDIA GPU and '
            'CUDA 12 (pip install "dchain[gpu]"), or run on the CPU with device "@numpy".'.format(
                reason, detail))


class GpuDevice(Device):
    """Device for cupy arrays on one CUDA GPU."""

    def __init__(self, device_id):
        check_cuda_available()
        if not 0 <= device_id < cupy.cuda.runtime.getDeviceCount():
            raise ValueError('GPU {} does not exist: this machine has {} CUDA device(s)'.format(
                device_id, cupy.cuda.runtime.getDeviceCount()))
        self.device_id = device_id
        self.device = cupy.cuda.Device(device_id)
        self.name = '@cupy:{}'.format(device_id)
        self.xp = cupy
        self.supported_array_types = (cupy.ndarray,)

    def is_array_supported(self, array):
        return isinstance(array, cupy.ndarray) and array.device.id == self.device_id

    def create_context(self):
        return cupy.cuda.Device(self.device_id)

    def use(self):
        self.device.use()

    def send_array(self, array):
        if isinstance(array, cupy.ndarray) and array.device.id == self.device_id:
            return array
        with self.device:
            if isinstance(array, cupy.ndarray):
                # Peer copy between GPUs.
                out = cupy.empty_like(array)
                out.data.copy_from_device(array.data, array.nbytes)
                return out
            if isinstance(array, (numpy.ndarray, numpy.generic)):
                return cupy.asarray(array)
        if isinstance(array, numbers.Number):
            return array
        raise TypeError('cannot send an object of type {} to {}'.format(
            type(array).__name__, self.name))

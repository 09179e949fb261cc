"""Devices: one place that maps a device specifier to a Device with ``xp`` and ``send``.

Specifiers accepted everywhere a device is asked for:

* a :class:`Device` object,
* ``'@numpy'`` or ``-1`` (or ``None``, or the ``numpy`` module): the host,
* ``'@cupy:N'`` or a non-negative integer ``N`` (or ``(cupy, N)``): the N-th CUDA GPU.
"""
import contextlib

import numpy

from dchain.backend._cpu import CpuDevice
from dchain.backend._device import Device
from dchain.backend import _gpu
from dchain.backend._gpu import GpuDevice, GpuUnavailableError, check_cuda_available

__all__ = ['Device', 'CpuDevice', 'GpuDevice', 'GpuUnavailableError', 'get_device',
           'get_device_from_array', 'get_array_module', 'using_device', 'copyto', 'cpu_device',
           'check_cuda_available']

cpu_device = CpuDevice()
_gpu_devices = {}


def _gpu_device(device_id):
    device = _gpu_devices.get(device_id)
    if device is None:
        device = _gpu_devices[device_id] = GpuDevice(device_id)
    return device


def get_device(device_spec):
    """Return the :class:`Device` named by ``device_spec`` (see the module docstring).

    Raises:
        ValueError: the specifier names no known device kind.
        GpuUnavailableError: a GPU was named but CuPy or CUDA is missing.
    """
    if isinstance(device_spec, Device):
        return device_spec
    if device_spec is None or device_spec is numpy:
        return cpu_device
    if isinstance(device_spec, (int, numpy.integer)) and not isinstance(device_spec, bool):
        if device_spec < 0:
            return cpu_device
        return _gpu_device(int(device_spec))
    if isinstance(device_spec, str):
        if device_spec.lstrip('-').isdigit():
            # Command-line flags arrive as strings: '-1' is the CPU, '0' the first GPU.
            return get_device(int(device_spec))
        if device_spec == '@numpy':
            return cpu_device
        if device_spec.startswith('@cupy:'):
            index = device_spec[len('@cupy:'):]
            if not index.isdigit():
                raise ValueError('invalid device specifier {!r}: expected "@cupy:<non-negative '
                                 'integer>"'.format(device_spec))
            return _gpu_device(int(index))
        if device_spec == '@cupy':
            return _gpu_device(0)
        if device_spec.startswith('@intel64'):
            raise ValueError('device {!r} (iDeep) is not supported by dchain; use "@numpy" for '
                             'the CPU'.format(device_spec))
    if isinstance(device_spec, tuple) and len(device_spec) == 2 and \
            getattr(device_spec[0], '__name__', None) == 'cupy':
        return _gpu_device(int(device_spec[1]))
    if getattr(device_spec, '__name__', None) == 'cupy':
        return _gpu_device(0)
    raise ValueError(
        'unknown device specifier {!r}: expected "@numpy", "@cupy:<id>", an integer (-1 for the '
        'CPU, >= 0 for a GPU) or a dchain.backend.Device'.format(device_spec))


def get_device_from_array(array):
    """Return the device an array (or a Variable) lives on; the host for anything else."""
    array = getattr(array, 'array', array)
    cupy = _gpu.cupy
    if cupy is not None and isinstance(array, cupy.ndarray):
        return _gpu_device(array.device.id)
    return cpu_device


def get_array_module(*args):
    """Return ``cupy`` if any argument is a cupy array (or a Variable holding one), else numpy."""
    cupy = _gpu.cupy
    if cupy is not None:
        for a in args:
            if isinstance(getattr(a, 'array', a), cupy.ndarray):
                return cupy
    return numpy


@contextlib.contextmanager
def using_device(device_spec):
    """Context in which ``device_spec`` is the current device."""
    with get_device(device_spec):
        yield


def copyto(dst, src):
    """Copy ``src`` into the existing array ``dst``, across devices if needed."""
    dst_device = get_device_from_array(dst)
    src = dst_device.send(src) if not numpy.isscalar(src) else src
    dst_device.xp.copyto(dst, src)

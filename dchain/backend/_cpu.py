"""The host device: numpy arrays in main memory (specifier ``'@numpy'`` or ``-1``)."""
import numbers

import numpy

from dchain.backend._device import Device


class CpuDevice(Device):
    """Device for numpy arrays in host memory."""

    xp = numpy
    name = '@numpy'
    supported_array_types = (numpy.ndarray, numpy.generic)

    def send_array(self, array):
        if isinstance(array, numpy.ndarray):
            return array
        if isinstance(array, numpy.generic):
            return numpy.asarray(array)
        from dchain.backend import _gpu
        if _gpu.cupy is not None and isinstance(array, _gpu.cupy.ndarray):
            return array.get()
        if isinstance(array, numbers.Number):
            return array
        raise TypeError('cannot send an object of type {} to {}: expected a numpy or cupy '
                        'array'.format(type(array).__name__, self.name))

"""Helpers shared by the collective FunctionNodes: arrays to this rank's device."""
from dchain import backend
from dchain.variable import Variable


def to_variable(array, device, dtype=None):
    array = device.send(array)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return Variable(array, requires_grad=False)


def device_of(array):
    return backend.get_device_from_array(array)

"""Axis-argument helpers shared by the array functions (validation with readable errors)."""
import numpy


def as_int(value, func, name):
    """``value`` as an int, or TypeError naming the function and argument."""
    if isinstance(value, (int, numpy.integer)) and not isinstance(value, bool):
        return int(value)
    raise TypeError('{}: {} must be an int, got {!r}'.format(func, name, value))


def as_int_tuple(value, func, name):
    """An int or a sequence of ints as a tuple of ints."""
    if isinstance(value, (int, numpy.integer)) and not isinstance(value, bool):
        return (int(value),)
    if isinstance(value, (tuple, list)):
        return tuple(as_int(v, func, name) for v in value)
    raise TypeError('{}: {} must be an int or a tuple of ints, got {!r}'.format(
        func, name, value))


def expect_axis(type_check, in_type, axis):
    """Type-check that ``axis`` (possibly negative) indexes an axis of ``in_type``."""
    if axis >= 0:
        type_check.expect(in_type.ndim > axis)
    else:
        type_check.expect(in_type.ndim >= -axis)

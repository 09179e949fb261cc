"""Base class of initializers and the fan-in/fan-out rule shared by scaled ones."""
import numpy


class Initializer:
    """Fills an array in place when called: ``initializer(array)``.

    Args:
        dtype: dtype this initializer produces, or None to follow the array given.
    """

    def __init__(self, dtype=None):
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    def __call__(self, array):
        raise NotImplementedError

    def _check_dtype(self, array):
        if self.dtype is not None and array.dtype != self.dtype:
            raise ValueError('{} has dtype {} but was asked to fill an array of dtype {}'.format(
                type(self).__name__, self.dtype, array.dtype))

    def __repr__(self):
        fields = ', '.join('{}={!r}'.format(k, v) for k, v in sorted(vars(self).items())
                           if k != 'dtype' and not k.startswith('_'))
        return '{}({})'.format(type(self).__name__, fields)


def get_fans(shape):
    """``(fan_in, fan_out)`` of a weight of ``shape`` (out, in, *kernel)."""
    if not isinstance(shape, tuple):
        raise ValueError('shape must be a tuple, got {}'.format(type(shape).__name__))
    if len(shape) < 2:
        raise ValueError('fan-in/fan-out need a shape of at least 2 dimensions, got {}'.format(
            shape))
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive

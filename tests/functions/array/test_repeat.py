import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _reference(x, repeats, axis):
    if axis is None:
        x = x.ravel()
        axis = 0
    axis %= x.ndim
    if isinstance(repeats, int):
        repeats = [repeats]
    if len(repeats) == 1:
        repeats = list(repeats) * x.shape[axis]
    pieces = []
    for i, r in enumerate(repeats):
        pieces += [numpy.take(x, [i], axis=axis)] * r
    if not pieces:
        shape = list(x.shape)
        shape[axis] = 0
        return numpy.zeros(shape, x.dtype)
    return numpy.concatenate(pieces, axis=axis)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,repeats,axis', [((2, 3), 2, None), ((2, 3), 2, 1),
                                                ((2, 3), [1, 0, 3], 1), ((2, 3), [2, 1], 0),
                                                ((2, 3), [1, 2, 0, 1, 1, 2], None),
                                                ((2, 3, 2), 3, -1), ((2, 3), (2,), 0)])
def test_repeat(shape, repeats, axis, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.repeat(x, repeats, axis)
    numpy.testing.assert_array_equal(y.array, _reference(x, repeats, axis))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.repeat(v, repeats, axis), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.repeat(v, repeats, axis), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_repeat_invalid():
    with pytest.raises(type_check.InvalidType):
        F.repeat(numpy.ones((2, 3), 'f'), [1, 2], 1)   # wrong number of repeats
    with pytest.raises(type_check.InvalidType):
        F.repeat(numpy.ones((2, 3), 'f'), 2, 2)        # axis out of range
    with pytest.raises(ValueError):
        F.repeat(numpy.ones((2, 3), 'f'), -1)

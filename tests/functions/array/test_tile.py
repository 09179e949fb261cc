import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,reps', [((2, 3), 2), ((2, 3), (2, 1)), ((2, 3), (2, 1, 2)),
                                        ((2, 1, 3), (3, 2)), ((3,), (0,))])
def test_tile(shape, reps, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.tile(x, reps)
    r = (reps,) if isinstance(reps, int) else reps
    ndim = max(len(r), len(shape))
    r = (1,) * (ndim - len(r)) + tuple(r)
    xs = x.reshape((1,) * (ndim - len(shape)) + shape)
    out_shape = tuple(a * b for a, b in zip(r, xs.shape))
    assert y.shape == out_shape
    for index in numpy.ndindex(*out_shape):
        assert y.array[index] == xs[tuple(i % n for i, n in zip(index, xs.shape))]
    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.tile(v, reps), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.tile(v, reps), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_tile_invalid():
    with pytest.raises(type_check.InvalidType):
        F.tile(numpy.ones((2, 3), 'i'), 2)
    with pytest.raises(ValueError):
        F.tile(numpy.ones((2, 3), 'f'), -1)
    with pytest.raises(TypeError):
        F.tile(numpy.ones((2, 3), 'f'), 1.5)

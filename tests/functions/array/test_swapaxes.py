import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,a1,a2', [((2, 3, 4), 0, 2), ((2, 3, 4), 1, -1),
                                         ((2, 3), 1, 1)])
def test_swapaxes(shape, a1, a2, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.swapaxes(x, a1, a2)
    i1, i2 = a1 % len(shape), a2 % len(shape)
    out_shape = list(shape)
    out_shape[i1], out_shape[i2] = shape[i2], shape[i1]
    assert y.shape == tuple(out_shape)
    for index in numpy.ndindex(*shape):
        j = list(index)
        j[i1], j[i2] = index[i2], index[i1]
        assert y.array[tuple(j)] == x[index]
    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.swapaxes(v, a1, a2), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.swapaxes(v, a1, a2), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_swapaxes_invalid():
    with pytest.raises(type_check.InvalidType):
        F.swapaxes(numpy.ones((2, 3), 'f'), 0, 2)

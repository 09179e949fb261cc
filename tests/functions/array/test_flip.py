import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}
DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _reversed(x, axis):
    axis %= x.ndim
    out = numpy.empty_like(x)
    n = x.shape[axis]
    for index in numpy.ndindex(*x.shape):
        src = list(index)
        src[axis] = n - 1 - index[axis]
        out[index] = x[tuple(src)]
    return out


def _check(func, x, expect, dtype):
    y = func(x)
    numpy.testing.assert_array_equal(y.array, expect)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(func, x, gy, dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(func, x, gy, ggx, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis', [((3,), 0), ((2, 3), 1), ((2, 3, 4), -1),
                                        ((2, 3, 4), 0)])
def test_flip(shape, axis, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    _check(lambda v: F.flip(v, axis), x, _reversed(x, axis), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(2, 3), (2, 3, 4)])
def test_fliplr(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    _check(F.fliplr, x, _reversed(x, 1), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3,), (2, 3)])
def test_flipud(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    _check(F.flipud, x, _reversed(x, 0), dtype)


def test_flip_invalid():
    with pytest.raises(type_check.InvalidType):
        F.flip(numpy.ones((2, 3), 'f'), 2)
    with pytest.raises(type_check.InvalidType):
        F.fliplr(numpy.ones(3, 'f'))
    with pytest.raises(type_check.InvalidType):
        F.flipud(numpy.ones((), 'f'))
    with pytest.raises(TypeError):
        F.flip(numpy.ones(3, 'f'), None)

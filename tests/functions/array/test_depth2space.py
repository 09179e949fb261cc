import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _reference_d2s(x, r):
    b, crr, h, w = x.shape
    c = crr // (r * r)
    y = numpy.empty((b, c, h * r, w * r), x.dtype)
    for n, ch, i, j, a, bb in numpy.ndindex(b, c, r, r, h, w):
        y[n, ch, a * r + i, bb * r + j] = x[n, (i * r + j) * c + ch, a, bb]
    return y


def test_depth2space_documented_example():
    x = numpy.arange(24, dtype='f').reshape(1, 4, 2, 3)
    expect = [[[[0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20],
                [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]]]]
    numpy.testing.assert_array_equal(F.depth2space(x, 2).array, expect)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,r', [((2, 8, 2, 3), 2), ((1, 9, 2, 2), 3), ((1, 3, 2, 2), 1)])
def test_depth2space_space2depth(shape, r, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.depth2space(x, r)
    expect = _reference_d2s(x, r)
    numpy.testing.assert_array_equal(y.array, expect)
    numpy.testing.assert_array_equal(F.space2depth(expect, r).array, x)

    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.depth2space(v, r), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    gradient_check.check_double_backward(lambda v: F.depth2space(v, r), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])
    gradient_check.check_backward(lambda v: F.space2depth(v, r), gy, x, dtype=numpy.float64,
                                  **TOL[dtype])
    gradient_check.check_double_backward(lambda v: F.space2depth(v, r), gy, x, gy.copy(),
                                         dtype=numpy.float64, **TOL[dtype])


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.depth2space(numpy.ones((1, 6, 2, 2), 'f'), 2)   # 6 not divisible by 4
    with pytest.raises(type_check.InvalidType):
        F.depth2space(numpy.ones((4, 2, 2), 'f'), 2)      # not 4-D
    with pytest.raises(type_check.InvalidType):
        F.space2depth(numpy.ones((1, 1, 3, 4), 'f'), 2)   # 3 not divisible by 2
    with pytest.raises(type_check.InvalidType):
        F.space2depth(numpy.ones((1, 1, 4, 4), 'i'), 2)   # not floating

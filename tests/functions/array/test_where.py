import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape,x_shape,y_shape', [((3, 4), (3, 4), (3, 4)),
                                                     ((3, 1), (1, 4), (3, 4)),
                                                     ((3, 4), (4,), (3, 1))])
def test_where(c_shape, x_shape, y_shape, dtype):
    cond = numpy.random.uniform(-1, 1, c_shape) > 0
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    y = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    z = F.where(cond, x, y)
    out = numpy.broadcast_shapes(c_shape, x_shape, y_shape)
    cb, xb, yb = (numpy.broadcast_to(a, out) for a in (cond, x, y))
    expect = numpy.empty(out, dtype)
    for index in numpy.ndindex(*out):
        expect[index] = xb[index] if cb[index] else yb[index]
    numpy.testing.assert_array_equal(z.array, expect)
    assert z.dtype == dtype

    gz = numpy.random.uniform(-1, 1, out).astype(dtype)
    gradient_check.check_backward(lambda a, b: F.where(cond, a, b), (x, y), gz,
                                  dtype=numpy.float64, **TOL[dtype])
    ggs = (numpy.random.uniform(-1, 1, x_shape).astype(dtype),
           numpy.random.uniform(-1, 1, y_shape).astype(dtype))
    gradient_check.check_double_backward(lambda a, b: F.where(cond, a, b), (x, y), gz, ggs,
                                         dtype=numpy.float64, **TOL[dtype])


def test_where_scalar():
    cond = numpy.array([True, False, True])
    x = numpy.array([1., 2., 3.], 'f')
    z = F.where(cond, x, 0.)
    assert z.dtype == numpy.float32
    numpy.testing.assert_array_equal(z.array, [1, 0, 3])
    numpy.testing.assert_array_equal(F.where(cond, -1, x).array, [-1, 2, -1])


def test_where_invalid():
    x = numpy.ones((2, 3), 'f')
    with pytest.raises(type_check.InvalidType):
        F.where(numpy.ones((2, 3), 'i'), x, x)               # condition not bool
    with pytest.raises(type_check.InvalidType):
        F.where(numpy.ones((2, 3), bool), x, x.astype('d'))  # dtype mismatch
    with pytest.raises(type_check.InvalidType):
        F.where(numpy.ones((2, 3), bool), x, numpy.ones((3, 2), 'f'))

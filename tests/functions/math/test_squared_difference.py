"""F.squared_difference: values, broadcasting, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('shapes', [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1))])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_squared_difference(shapes, dtype):
    x1 = numpy.random.uniform(-1, 1, shapes[0]).astype(dtype)
    x2 = numpy.random.uniform(-1, 1, shapes[1]).astype(dtype)
    y = F.squared_difference(x1, x2)
    expect = (x1.astype(numpy.float64) - x2) ** 2
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-3 if dtype == numpy.float16 else 1e-7)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.squared_difference, (x1, x2), gy, dtype=numpy.float64,
                                  **tol)
    if dtype != numpy.float16:
        ggs = (numpy.random.uniform(-1, 1, x1.shape).astype(dtype),
               numpy.random.uniform(-1, 1, x2.shape).astype(dtype))
        gradient_check.check_double_backward(F.squared_difference, (x1, x2), gy, ggs,
                                             dtype=numpy.float64)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.squared_difference(numpy.zeros(3, numpy.float32), numpy.zeros(4, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.squared_difference(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float64))

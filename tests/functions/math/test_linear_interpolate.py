"""F.linear_interpolate: values, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_linear_interpolate(dtype):
    p, x, y = (numpy.random.uniform(-1, 1, (3, 4)).astype(dtype) for _ in range(3))
    z = F.linear_interpolate(p, x, y)
    expect = p.astype(numpy.float64) * x + (1 - p.astype(numpy.float64)) * y
    assert z.dtype == dtype
    numpy.testing.assert_allclose(z.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    gz = numpy.random.uniform(-1, 1, z.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.linear_interpolate, (p, x, y), gz, dtype=numpy.float64,
                                  **tol)
    if dtype != numpy.float16:
        ggs = tuple(numpy.random.uniform(-1, 1, (3, 4)).astype(dtype) for _ in range(3))
        gradient_check.check_double_backward(F.linear_interpolate, (p, x, y), gz, ggs,
                                             dtype=numpy.float64)


def test_bad_inputs():
    a = numpy.ones((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.linear_interpolate(a, a, numpy.ones((3, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.linear_interpolate(a, a, a.astype(numpy.float64))

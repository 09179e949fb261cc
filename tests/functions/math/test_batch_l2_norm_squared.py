"""F.batch_l2_norm_squared: values, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('shape', [(3, 4), (2, 3, 4), (4, 1)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_batch_l2_norm_squared(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.batch_l2_norm_squared(x)
    expect = (x.astype(numpy.float64) ** 2).reshape(shape[0], -1).sum(axis=1)
    assert y.dtype == dtype and y.shape == (shape[0],)
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-6)
    gy = numpy.random.uniform(-1, 1, (shape[0],)).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.batch_l2_norm_squared, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            F.batch_l2_norm_squared, x, gy, numpy.random.uniform(-1, 1, shape).astype(dtype),
            dtype=numpy.float64)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.batch_l2_norm_squared(numpy.ones(3, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.batch_l2_norm_squared(numpy.ones((2, 3), numpy.int32))

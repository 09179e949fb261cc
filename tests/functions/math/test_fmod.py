"""F.fmod: values against numpy.fmod, gradients away from the jumps, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _inputs(shape, dtype):
    divisor = numpy.random.uniform(0.5, 2, shape) * numpy.random.choice([-1, 1], shape)
    quotient = numpy.random.randint(-3, 4, shape) + numpy.random.uniform(0.2, 0.8, shape)
    return (quotient * divisor).astype(dtype), divisor.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_fmod(dtype):
    x, d = _inputs((3, 4), dtype)
    y = F.fmod(x, d)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, numpy.fmod(x, d), rtol=1e-6)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.fmod, (x, d), gy, dtype=numpy.float64, eps=1e-4, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            F.fmod, (x, d), gy, (numpy.random.uniform(-1, 1, x.shape),
                                 numpy.random.uniform(-1, 1, x.shape)), dtype=numpy.float64,
            eps=1e-4)


def test_broadcast():
    x = numpy.random.uniform(-5, 5, (3, 4))
    d = numpy.array([1.5, -2.0, 0.7, 3.0])
    numpy.testing.assert_allclose(F.fmod(x, d).array, numpy.fmod(x, d))


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.fmod(numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float64))
    with pytest.raises(type_check.InvalidType):
        F.fmod(numpy.ones(3, numpy.float32), numpy.ones(2, numpy.float32))

"""Tests of F.clipped_relu and F.relu6."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _input(shape, dtype, z):
    x = numpy.random.uniform(-1, z + 1, shape)
    # Keep away from both kinks (0 and z).
    x[numpy.abs(x) < 0.1] = z / 2
    x[numpy.abs(x - z) < 0.1] = z / 2
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('z', [0.75, 20.0])
def test_forward(dtype, z):
    x = _input((3, 4), dtype, z)
    y = F.clipped_relu(x, z)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, numpy.minimum(numpy.maximum(x, 0), z), rtol=1e-3)


def test_default_z_and_relu6():
    x = numpy.array([-1.0, 3.0, 10.0, 30.0], numpy.float32)
    numpy.testing.assert_array_equal(F.clipped_relu(x).array, [0, 3, 10, 20])
    numpy.testing.assert_array_equal(F.relu6(x).array, [0, 3, 6, 6])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = _input((3, 4), dtype, 0.75)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.clipped_relu(x, 0.75), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((3, 4), dtype, 6.0)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(F.relu6, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_invalid_z():
    with pytest.raises(TypeError):
        F.clipped_relu(numpy.zeros(3, numpy.float32), 'a')


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.clipped_relu(numpy.zeros(3, numpy.int32))


def test_relu6_invalid_input():
    with pytest.raises(type_check.InvalidType, match=r"x\.dtype\.kind == 'f'"):
        F.relu6(numpy.zeros(3, numpy.int32))
    with pytest.raises(TypeError, match=r'input 0 of ClippedReLU must be a Variable or an '
                                        r'array .*not list'):
        F.relu6([1.0, 2.0])

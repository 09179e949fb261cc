"""Tests of F.sigmoid."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}
FWD_TOL = {numpy.float16: 1e-3, numpy.float32: 1e-6, numpy.float64: 1e-12}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(3, 4), ()])
def test_forward(dtype, shape):
    x = numpy.random.uniform(-5, 5, shape).astype(dtype)
    y = F.sigmoid(x)
    assert y.dtype == dtype and y.shape == shape
    expect = 1 / (1 + numpy.exp(-x.astype(numpy.float64)))
    numpy.testing.assert_allclose(y.array, expect, atol=FWD_TOL[dtype], rtol=FWD_TOL[dtype])


def test_extreme_inputs_do_not_overflow():
    x = numpy.array([-1000.0, 0.0, 1000.0], numpy.float32)
    with numpy.errstate(all='raise'):
        y = F.sigmoid(x).array
    numpy.testing.assert_allclose(y, [0, 0.5, 1])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = numpy.random.uniform(-2, 2, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(F.sigmoid, x, gy, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = numpy.random.uniform(-2, 2, (3, 4)).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(F.sigmoid, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_node_object_as_layer():
    x = numpy.zeros((2, 2), numpy.float32)
    numpy.testing.assert_allclose(F.Sigmoid()(x).array, 0.5)


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.sigmoid(numpy.zeros(3, numpy.int64))

"""Tests of F.zoneout."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ratio', [0.0, 0.3, 1.0])
def test_train_statistics(dtype, ratio):
    h = numpy.zeros((100, 100), dtype)
    x = numpy.ones((100, 100), dtype)
    y = F.zoneout(h, x, ratio)
    assert y.dtype == dtype
    assert set(numpy.unique(y.array)) <= {0, 1}
    assert abs((y.array == 0).mean() - ratio) < 0.03


def test_default_ratio():
    y = F.zoneout(numpy.zeros((100, 100), numpy.float32), numpy.ones((100, 100), numpy.float32))
    assert abs((y.array == 0).mean() - 0.5) < 0.03


def test_test_mode_returns_x():
    h = numpy.zeros((3, 4), numpy.float32)
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    with dchain.using_config('train', False):
        y = F.zoneout(h, x, 0.5)
    assert isinstance(y, dchain.Variable)
    numpy.testing.assert_array_equal(y.array, x)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_gradients_follow_the_mask(dtype):
    h = dchain.Variable(numpy.random.randn(6, 7).astype(dtype))
    x = dchain.Variable(numpy.random.randn(6, 7).astype(dtype))
    y = F.zoneout(h, x, 0.5)
    took_h = y.array == h.array
    gy = numpy.random.randn(6, 7).astype(dtype)
    y.grad = gy
    y.backward()
    numpy.testing.assert_array_equal(h.grad, numpy.where(took_h, gy, 0))
    numpy.testing.assert_array_equal(x.grad, numpy.where(took_h, 0, gy))


def test_backward_with_fixed_seed():
    h = numpy.random.randn(3, 4)
    x = numpy.random.randn(3, 4)
    gy = numpy.random.randn(3, 4)

    def f(h, x):
        numpy.random.seed(1)
        return F.zoneout(h, x, 0.4)

    gradient_check.check_backward(f, (h, x), gy, dtype=numpy.float64)
    gradient_check.check_double_backward(f, (h, x), gy, (numpy.random.randn(3, 4),
                                                         numpy.random.randn(3, 4)),
                                         dtype=numpy.float64)


@pytest.mark.parametrize('h_shape,x_shape,x_dtype', [
    ((3, 4), (4, 3), numpy.float32), ((3, 4), (3, 4), numpy.float64)])
def test_invalid(h_shape, x_shape, x_dtype):
    with pytest.raises(type_check.InvalidType):
        F.zoneout(numpy.zeros(h_shape, numpy.float32), numpy.zeros(x_shape, x_dtype))


def test_invalid_ratio():
    with pytest.raises(ValueError):
        F.zoneout(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float32), 1.5)

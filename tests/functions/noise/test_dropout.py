"""Tests of F.dropout."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ratio', [0.0, 0.3, 0.8])
def test_train_statistics(dtype, ratio):
    x = numpy.random.uniform(1, 2, (100, 100)).astype(dtype)
    y, mask = F.dropout(x, ratio, return_mask=True)
    assert y.dtype == dtype and mask.dtype == dtype
    dropped = y.array == 0
    assert abs(dropped.mean() - ratio) < 0.03
    scale = 1 / (1 - ratio)
    kept = ~dropped
    numpy.testing.assert_allclose(y.array[kept], x[kept].astype(numpy.float64) * scale,
                                  rtol=2e-3)
    numpy.testing.assert_allclose(mask, numpy.where(dropped, 0, scale), rtol=1e-3)


def test_default_ratio_is_half():
    x = numpy.ones((200, 100), numpy.float32)
    y = F.dropout(x)
    assert abs((y.array == 0).mean() - 0.5) < 0.03
    assert set(numpy.unique(y.array)) == {0.0, 2.0}


def test_test_mode_is_identity():
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    with dchain.using_config('train', False):
        y = F.dropout(x, 0.5)
        y2, mask = F.dropout(x, 0.5, return_mask=True)
    assert isinstance(y, dchain.Variable)
    numpy.testing.assert_array_equal(y.array, x)
    numpy.testing.assert_array_equal(y2.array, x)
    assert mask is None


def test_given_mask_is_used():
    x = numpy.random.randn(3, 4).astype(numpy.float32)
    mask = (numpy.random.rand(3, 4) > 0.5).astype(numpy.float32) * 2
    y = F.dropout(x, 0.5, mask=mask)
    numpy.testing.assert_array_equal(y.array, x * mask)
    _, mask2 = F.dropout(x, 0.5, mask=mask, return_mask=True)
    assert mask2 is mask


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward_fixed_mask(dtype):
    x = numpy.random.randn(3, 4).astype(dtype)
    mask = ((numpy.random.rand(3, 4) > 0.4) / 0.6).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(lambda x: F.dropout(x, 0.4, mask=mask), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    xv = dchain.Variable(x)
    y = F.dropout(xv, 0.4, mask=mask)
    y.grad = gy
    y.backward()
    numpy.testing.assert_array_equal(xv.grad, gy * mask)


def test_backward_uses_sampled_mask():
    xv = dchain.Variable(numpy.random.randn(5, 6).astype(numpy.float32))
    y, mask = F.dropout(xv, 0.5, return_mask=True)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(xv.grad, mask)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = numpy.random.randn(3, 4).astype(dtype)
    mask = ((numpy.random.rand(3, 4) > 0.5) * 2).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(lambda x: F.dropout(x, 0.5, mask=mask), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('ratio', [-0.1, 1.0, 1.5])
def test_invalid_ratio(ratio):
    with pytest.raises(ValueError):
        F.dropout(numpy.zeros(3, numpy.float32), ratio)


def test_train_argument_rejected():
    with pytest.raises(ValueError):
        F.dropout(numpy.zeros(3, numpy.float32), 0.5, train=False)


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.dropout(numpy.zeros(3, numpy.int32), 0.5)


def test_mask_shape_mismatch():
    with pytest.raises(type_check.InvalidType):
        F.dropout(numpy.zeros((2, 3), numpy.float32), 0.5,
                  mask=numpy.ones((3, 2), numpy.float32))

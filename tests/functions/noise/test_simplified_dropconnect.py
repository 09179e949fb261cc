"""Tests of F.simplified_dropconnect."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _reference(x, W, b, mask, ratio, batchwise):
    x2 = x.reshape(len(x), -1).astype(numpy.float64)
    w = W.astype(numpy.float64) * mask / (1 - ratio)
    if batchwise:
        y = numpy.einsum('noi,ni->no', w, x2)
    else:
        y = x2 @ w.T
    if b is not None:
        y = y + b
    return y


def _mask(shape, ratio):
    return numpy.random.rand(*shape) >= ratio


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('batchwise', [True, False])
@pytest.mark.parametrize('x_shape', [(4, 6), (4, 2, 3)])
@pytest.mark.parametrize('with_bias', [True, False])
def test_forward_given_mask(dtype, batchwise, x_shape, with_bias):
    x = numpy.random.randn(*x_shape).astype(dtype)
    W = numpy.random.randn(5, 6).astype(dtype)
    b = numpy.random.randn(5).astype(dtype) if with_bias else None
    mask = _mask((4, 5, 6) if batchwise else (5, 6), 0.3)
    y = F.simplified_dropconnect(x, W, b, 0.3, mask=mask, use_batchwise_mask=batchwise)
    assert y.dtype == dtype and y.shape == (4, 5)
    tol = 5e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, _reference(x, W, b, mask, 0.3, batchwise),
                                  atol=tol, rtol=tol)


def test_random_mask_statistics():
    # With x = e_j and W = 1, y[n, o] = mask[n, o, j] / (1 - ratio).
    x = numpy.zeros((200, 50), numpy.float64)
    x[:, 0] = 1
    W = numpy.ones((50, 50))
    y = F.simplified_dropconnect(x, W, ratio=0.3).array
    assert set(numpy.unique(numpy.round(y, 6))) == {0, round(1 / 0.7, 6)}
    assert abs((y == 0).mean() - 0.3) < 0.03
    # Different examples draw different masks.
    assert not (y[0] == y[1]).all()


def test_shared_mask_across_batch():
    x = numpy.ones((10, 20))
    W = numpy.eye(20)
    y = F.simplified_dropconnect(x, W, ratio=0.5, use_batchwise_mask=False).array
    assert (y == y[0]).all()


def test_not_train_is_linear():
    x = numpy.random.randn(3, 4)
    W = numpy.random.randn(2, 4)
    b = numpy.random.randn(2)
    y = F.simplified_dropconnect(x, W, b, ratio=0.9, train=False)
    numpy.testing.assert_allclose(y.array, x @ W.T + b, rtol=1e-12)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('batchwise', [True, False])
def test_backward_fixed_mask(dtype, batchwise):
    x = numpy.random.randn(4, 2, 3).astype(dtype)
    W = numpy.random.randn(5, 6).astype(dtype)
    b = numpy.random.randn(5).astype(dtype)
    mask = _mask((4, 5, 6) if batchwise else (5, 6), 0.3)
    gy = numpy.random.randn(4, 5).astype(dtype)
    tol = dict(atol=1e-1, rtol=1e-1) if dtype == numpy.float16 else TOL[dtype]
    gradient_check.check_backward(
        lambda x, W, b: F.simplified_dropconnect(x, W, b, 0.3, mask=mask,
                                                 use_batchwise_mask=batchwise),
        (x, W, b), gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('batchwise', [True, False])
def test_double_backward_fixed_mask(batchwise):
    x = numpy.random.randn(4, 6)
    W = numpy.random.randn(5, 6)
    mask = _mask((4, 5, 6) if batchwise else (5, 6), 0.3)
    gy = numpy.random.randn(4, 5)
    gradient_check.check_double_backward(
        lambda x, W: F.simplified_dropconnect(x, W, None, 0.3, mask=mask,
                                              use_batchwise_mask=batchwise),
        (x, W), gy, (numpy.random.randn(4, 6), numpy.random.randn(5, 6)),
        dtype=numpy.float64)


@pytest.mark.parametrize('x_shape,w_shape,b_shape', [
    ((4, 6), (5, 7), None),      # in_size mismatch
    ((4,), (5, 4), None),        # x needs a batch axis
    ((4, 6), (5, 6), (4,)),      # bias size mismatch
    ((4, 6), (5, 6, 1), None),   # W must be a matrix
])
def test_invalid(x_shape, w_shape, b_shape):
    b = None if b_shape is None else numpy.zeros(b_shape, numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.simplified_dropconnect(numpy.zeros(x_shape, numpy.float32),
                                 numpy.zeros(w_shape, numpy.float32), b)


def test_invalid_mask_shape():
    with pytest.raises(type_check.InvalidType):
        F.simplified_dropconnect(numpy.zeros((4, 6), numpy.float32),
                                 numpy.zeros((5, 6), numpy.float32),
                                 mask=numpy.ones((5, 6), bool))


def test_invalid_ratio():
    with pytest.raises(ValueError):
        F.simplified_dropconnect(numpy.zeros((4, 6), numpy.float32),
                                 numpy.zeros((5, 6), numpy.float32), ratio=1.0)

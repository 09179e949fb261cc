"""Tests of F.embed_id."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, W, ignore_label):
    y = numpy.zeros(x.shape + (W.shape[1],), W.dtype)
    for index in numpy.ndindex(x.shape):
        if x[index] != ignore_label:
            y[index] = W[x[index]]
    return y


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape', [(4,), (2, 3)])
@pytest.mark.parametrize('ignore_label', [None, -1, 2])
def test_forward(dtype, x_shape, ignore_label):
    rng = numpy.random.RandomState(0)
    x = rng.randint(-1 if ignore_label == -1 else 0, 4, x_shape).astype(numpy.int32)
    W = rng.randn(4, 3).astype(dtype)
    y = F.embed_id(x, W, ignore_label=ignore_label)
    assert y.dtype == dtype and y.shape == x_shape + (3,)
    numpy.testing.assert_array_equal(y.array, _reference(x, W, ignore_label))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ignore_label', [None, -1])
def test_backward(dtype, ignore_label):
    rng = numpy.random.RandomState(1)
    x = numpy.array([[0, 1, 1], [3, -1 if ignore_label == -1 else 0, 1]], numpy.int32)
    W = rng.randn(4, 3).astype(dtype)
    gy = rng.randn(2, 3, 3).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else {}
    gradient_check.check_backward(lambda x, W: F.embed_id(x, W, ignore_label), (x, W), gy,
                                  dtype=numpy.float64, **tol)
    # The scatter-add sums the gradient rows of repeated ids.
    from dchain import Variable
    Wv = Variable(W)
    y = F.embed_id(x, Wv, ignore_label)
    y.grad = gy
    y.backward()
    expected = numpy.zeros((4, 3))
    for index in numpy.ndindex(x.shape):
        if x[index] != ignore_label:
            expected[x[index]] += gy[index]
    numpy.testing.assert_allclose(Wv.grad, expected, rtol=1e-2 if dtype == numpy.float16
                                  else 1e-6)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    rng = numpy.random.RandomState(2)
    x = numpy.array([0, 2, 2, -1], numpy.int32)
    W = rng.randn(3, 2).astype(dtype)
    gy = rng.randn(4, 2).astype(dtype)
    ggW = rng.randn(3, 2).astype(dtype)
    # y is linear in W, so the second derivative w.r.t. W is zero but the one w.r.t. gy
    # (through gW) is the lookup again.
    gradient_check.check_double_backward(lambda x, W: F.embed_id(x, W, -1) ** 2, (x, W), gy,
                                         ggW, dtype=numpy.float64)


def test_invalid_type():
    W = numpy.ones((3, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.embed_id(numpy.array([0.0, 1.0], numpy.float32), W)
    with pytest.raises(type_check.InvalidType):
        F.embed_id(numpy.array([0, 1], numpy.int32), numpy.ones(3, numpy.float32))


def test_out_of_range_ids():
    W = numpy.ones((3, 2), numpy.float32)
    with pytest.raises(ValueError):
        F.embed_id(numpy.array([0, 3], numpy.int32), W)
    with pytest.raises(ValueError):
        F.embed_id(numpy.array([-1, 0], numpy.int32), W)

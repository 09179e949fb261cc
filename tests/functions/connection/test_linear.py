"""Tests of F.linear."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _inputs(dtype, n=4, n_in=3, n_out=5, seed=0):
    rng = numpy.random.RandomState(seed)
    return (rng.uniform(-1, 1, (n, n_in)).astype(dtype),
            rng.uniform(-1, 1, (n_out, n_in)).astype(dtype),
            rng.uniform(-1, 1, n_out).astype(dtype))


TOL = {numpy.float16: dict(rtol=1e-2, atol=1e-2), numpy.float32: dict(rtol=1e-5, atol=1e-6),
       numpy.float64: dict(rtol=1e-12, atol=1e-12)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('with_bias', [False, True])
def test_forward_backward(dtype, with_bias):
    x, W, b = _inputs(dtype)
    inputs = (x, W, b) if with_bias else (x, W)
    y = F.linear(*inputs)
    assert y.shape == (4, 5) and y.dtype == dtype
    x64, W64, b64 = (a.astype(numpy.float64) for a in (x, W, b))
    expected = x64 @ W64.T + (b64 if with_bias else 0)
    numpy.testing.assert_allclose(y.array, expected, **TOL[dtype])
    gy = numpy.random.RandomState(1).uniform(-1, 1, (4, 5)).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2, eps=1e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-3)
    gradient_check.check_backward(F.linear, inputs, gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    inputs = _inputs(dtype, seed=2)
    rng = numpy.random.RandomState(3)
    gy = rng.uniform(-1, 1, (4, 5)).astype(dtype)
    ggs = tuple(rng.uniform(-1, 1, a.shape).astype(dtype) for a in inputs)
    gradient_check.check_double_backward(F.linear, inputs, gy, ggs, dtype=numpy.float64,
                                         atol=1e-3, rtol=1e-3)


def test_batch_axes_and_flattening():
    rng = numpy.random.RandomState(4)
    x = rng.uniform(-1, 1, (2, 3, 4)).astype(numpy.float64)
    W = rng.uniform(-1, 1, (5, 4))
    y = F.linear(x, W, n_batch_axes=2)
    assert y.shape == (2, 3, 5)
    numpy.testing.assert_allclose(y.array, x @ W.T, rtol=1e-12)
    # One batch axis: the rest of x is flattened to W's input size.
    W12 = rng.uniform(-1, 1, (5, 12))
    numpy.testing.assert_allclose(F.linear(x, W12).array, x.reshape(2, 12) @ W12.T,
                                  rtol=1e-12)
    gy = rng.uniform(-1, 1, (2, 3, 5))
    gradient_check.check_backward(lambda x, W: F.linear(x, W, n_batch_axes=2), (x, W), gy,
                                  atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize('order', ['C', 'F'])
def test_input_gradient_has_the_layout_of_the_input(order):
    # A column-major x (a batch-last activation flattened for a classifier) gets a
    # column-major gradient, so the layer below reads it in its own order.
    x, W, b = _inputs(numpy.float64, n=6, n_in=7, n_out=3, seed=5)
    x = numpy.asarray(x, order=order)
    xv = dchain.Variable(x)
    y = F.linear(xv, W, b)
    gy = numpy.random.RandomState(6).uniform(-1, 1, y.shape)
    y.grad = gy
    y.backward()
    assert xv.grad.flags.f_contiguous == (order == 'F')
    assert xv.grad.flags.c_contiguous == (order == 'C')
    numpy.testing.assert_allclose(xv.grad, gy @ W, rtol=1e-12)


def test_column_major_input_differentiates_twice():
    x, W, b = _inputs(numpy.float64, n=6, n_in=7, n_out=3, seed=7)
    x = numpy.asfortranarray(x)
    rng = numpy.random.RandomState(8)
    gy = rng.uniform(-1, 1, (6, 3))
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in (x, W, b))
    gradient_check.check_backward(F.linear, (x, W, b), gy, atol=1e-7, rtol=1e-7)
    gradient_check.check_double_backward(F.linear, (x, W, b), gy, ggs, atol=1e-6, rtol=1e-6)


def test_invalid():
    x, W, b = _inputs(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.linear(x, W[:, :2])                       # input sizes disagree
    with pytest.raises(type_check.InvalidType):
        F.linear(x, W, b[:4])                       # bias size is not W's output size
    with pytest.raises(type_check.InvalidType):
        F.linear(x, W.astype(numpy.float64))        # dtypes disagree
    with pytest.raises(type_check.InvalidType):
        F.linear(x, W.reshape(5, 3, 1))             # W is not 2-d
    with pytest.raises(type_check.InvalidType):
        F.linear(x.astype(numpy.int32), W)          # not floating point
    with pytest.raises(ValueError, match='n_batch_axes'):
        F.linear(x, W, n_batch_axes=0)

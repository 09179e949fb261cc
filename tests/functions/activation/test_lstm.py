"""Tests of F.lstm."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(c_prev, x):
    c_prev = c_prev.astype(numpy.float64)
    x = x.astype(numpy.float64)
    b, units = x.shape[0], c_prev.shape[1]
    # Gate j of unit k is channel 4k + j.
    a = x[:, 0::4]
    i = x[:, 1::4]
    f = x[:, 2::4]
    o = x[:, 3::4]
    assert a.shape[1] == units
    c = numpy.tanh(a) * _sig(i) + _sig(f) * c_prev[:b]
    h = _sig(o) * numpy.tanh(c)
    c_full = numpy.concatenate([c, c_prev[b:]], axis=0)
    return c_full, h


CASES = [((3, 2), (3, 8)), ((4, 2), (3, 8)), ((3, 2, 2), (3, 8, 2)), ((2, 1), (0, 4))]


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape,x_shape', CASES)
def test_forward(dtype, c_shape, x_shape):
    c_prev = numpy.random.uniform(-1, 1, c_shape).astype(dtype)
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    c, h = F.lstm(c_prev, x)
    c_ref, h_ref = _reference(c_prev, x)
    assert c.dtype == dtype and h.dtype == dtype
    assert c.shape == c_shape and h.shape == (x_shape[0],) + c_shape[1:]
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(c.array, c_ref, atol=tol, rtol=tol)
    numpy.testing.assert_allclose(h.array, h_ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape,x_shape', CASES[:3])
def test_backward(dtype, c_shape, x_shape):
    c_prev = numpy.random.uniform(-1, 1, c_shape).astype(dtype)
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    gc = numpy.random.randn(*c_shape).astype(dtype)
    gh = numpy.random.randn(x_shape[0], *c_shape[1:]).astype(dtype)
    gradient_check.check_backward(F.lstm, (c_prev, x), (gc, gh), dtype=numpy.float64,
                                  **TOL[dtype])


@pytest.mark.parametrize('use', ['c', 'h'])
def test_backward_one_output(use):
    c_prev = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float64)
    x = numpy.random.uniform(-1, 1, (3, 12)).astype(numpy.float64)
    gc = numpy.random.randn(4, 3) if use == 'c' else None
    gh = numpy.random.randn(3, 3) if use == 'h' else None
    gradient_check.check_backward(F.lstm, (c_prev, x), (gc, gh), dtype=numpy.float64)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape,x_shape', CASES[:3])
def test_double_backward(dtype, c_shape, x_shape):
    c_prev = numpy.random.uniform(-1, 1, c_shape).astype(dtype)
    x = numpy.random.uniform(-1, 1, x_shape).astype(dtype)
    gc = numpy.random.randn(*c_shape).astype(dtype)
    gh = numpy.random.randn(x_shape[0], *c_shape[1:]).astype(dtype)
    ggc = numpy.random.randn(*c_shape).astype(dtype)
    ggx = numpy.random.randn(*x_shape).astype(dtype)
    gradient_check.check_double_backward(F.lstm, (c_prev, x), (gc, gh), (ggc, ggx),
                                         dtype=numpy.float64, **TOL[dtype])


def test_double_backward_paths_agree():
    # The array path (first order) and the graph path (double backprop) give equal gradients.
    c_prev = numpy.random.randn(4, 3)
    x = numpy.random.randn(3, 12)
    grads = []
    for double in (False, True):
        cv, xv = dchain.Variable(c_prev), dchain.Variable(x)
        c, h = F.lstm(cv, xv)
        loss = F.sum(c * c) + F.sum(h)
        loss.backward(enable_double_backprop=double)
        grads.append((cv.grad, xv.grad))
    numpy.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-12)
    numpy.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-12)


@pytest.mark.parametrize('c_shape,x_shape,x_dtype', [
    ((3, 2), (3, 7), numpy.float32),      # channels not 4 * units
    ((2, 2), (3, 8), numpy.float32),      # more rows in x than in c_prev
    ((3, 2), (3, 8, 1), numpy.float32),   # ndim mismatch
    ((3, 2), (3, 8), numpy.float64),      # dtype mismatch
    ((3, 2, 2), (3, 8, 3), numpy.float32),  # trailing shape mismatch
])
def test_invalid(c_shape, x_shape, x_dtype):
    c_prev = numpy.zeros(c_shape, numpy.float32)
    x = numpy.zeros(x_shape, x_dtype)
    with pytest.raises(type_check.InvalidType):
        F.lstm(c_prev, x)


@pytest.mark.parametrize('use', ['c', 'h'])
def test_double_backward_one_output(use):
    c_prev = numpy.random.uniform(-1, 1, (4, 3))
    x = numpy.random.uniform(-1, 1, (3, 12))
    gc = numpy.random.randn(4, 3) if use == 'c' else None
    gh = numpy.random.randn(3, 3) if use == 'h' else None

    def f(c_prev, x):
        c, h = F.lstm(c_prev, x)
        return c if use == 'c' else h

    gy = gc if use == 'c' else gh
    gradient_check.check_double_backward(f, (c_prev, x), gy,
                                         (numpy.random.randn(4, 3), numpy.random.randn(3, 12)),
                                         dtype=numpy.float64)

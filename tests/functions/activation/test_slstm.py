"""Tests of F.slstm."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(c1, c2, x1, x2):
    c1, c2, x1, x2 = (v.astype(numpy.float64) for v in (c1, c2, x1, x2))
    # Gate j of unit k is channel 4k + j: a, i, f, o.
    a = numpy.tanh(x1[:, 0::4] + x2[:, 0::4])
    i = _sig(x1[:, 1::4] + x2[:, 1::4])
    f1 = _sig(x1[:, 2::4])
    f2 = _sig(x2[:, 2::4])
    o = _sig(x1[:, 3::4] + x2[:, 3::4])
    c = a * i + f1 * c1 + f2 * c2
    return c, o * numpy.tanh(c)


def _inputs(c_shape, dtype):
    x_shape = (c_shape[0], 4 * c_shape[1]) + c_shape[2:]
    return tuple(numpy.random.uniform(-1, 1, s).astype(dtype)
                 for s in (c_shape, c_shape, x_shape, x_shape))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape', [(3, 2), (2, 3, 2)])
def test_forward(dtype, c_shape):
    inputs = _inputs(c_shape, dtype)
    c, h = F.slstm(*inputs)
    c_ref, h_ref = _reference(*inputs)
    assert c.dtype == dtype and c.shape == c_shape and h.shape == c_shape
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(c.array, c_ref, atol=tol, rtol=tol)
    numpy.testing.assert_allclose(h.array, h_ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('c_shape', [(3, 2), (2, 3, 2)])
def test_backward(dtype, c_shape):
    inputs = _inputs(c_shape, dtype)
    gc = numpy.random.randn(*c_shape).astype(dtype)
    gh = numpy.random.randn(*c_shape).astype(dtype)
    gradient_check.check_backward(F.slstm, inputs, (gc, gh), dtype=numpy.float64,
                                  **TOL[dtype])


@pytest.mark.parametrize('use', ['c', 'h'])
def test_backward_one_output(use):
    inputs = _inputs((3, 2), numpy.float64)
    gc = numpy.random.randn(3, 2) if use == 'c' else None
    gh = numpy.random.randn(3, 2) if use == 'h' else None
    gradient_check.check_backward(F.slstm, inputs, (gc, gh), dtype=numpy.float64)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    inputs = _inputs((3, 2), dtype)
    gys = tuple(numpy.random.randn(3, 2).astype(dtype) for _ in range(2))
    ggs = tuple(numpy.random.randn(*v.shape).astype(dtype) for v in inputs)
    gradient_check.check_double_backward(F.slstm, inputs, gys, ggs, dtype=numpy.float64,
                                         **TOL[dtype])


@pytest.mark.parametrize('shapes', [
    ((3, 2), (3, 2), (3, 7), (3, 7)),    # not 4 * units
    ((3, 2), (2, 2), (3, 8), (3, 8)),    # children of different batch
    ((3, 2), (3, 2), (3, 8), (2, 8)),    # x1 and x2 differ
    ((3, 2), (3, 2), (2, 8), (2, 8)),    # batch of x differs from c
])
def test_invalid_shapes(shapes):
    with pytest.raises(type_check.InvalidType):
        F.slstm(*(numpy.zeros(s, numpy.float32) for s in shapes))


def test_invalid_dtype():
    args = [numpy.zeros((3, 2), numpy.float32), numpy.zeros((3, 2), numpy.float32),
            numpy.zeros((3, 8), numpy.float32), numpy.zeros((3, 8), numpy.float64)]
    with pytest.raises(type_check.InvalidType):
        F.slstm(*args)

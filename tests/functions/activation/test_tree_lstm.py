"""Tests of F.tree_lstm."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(*inputs):
    inputs = [v.astype(numpy.float64) for v in inputs]
    cs, x = inputs[:-1], inputs[-1]
    units = cs[0].shape[1]
    # Contiguous blocks a, i, o, f_1 .. f_N along axis 1.
    block = [x[:, k * units:(k + 1) * units] for k in range(len(cs) + 3)]
    c = numpy.tanh(block[0]) * _sig(block[1])
    for f, c_k in zip(block[3:], cs):
        c = c + _sig(f) * c_k
    return c, _sig(block[2]) * numpy.tanh(c)


def _inputs(n_children, c_shape, dtype):
    x_shape = (c_shape[0], (n_children + 3) * c_shape[1]) + c_shape[2:]
    shapes = [c_shape] * n_children + [x_shape]
    return tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('n_children', [1, 2, 3])
@pytest.mark.parametrize('c_shape', [(3, 2), (2, 3, 2)])
def test_forward(dtype, n_children, c_shape):
    inputs = _inputs(n_children, c_shape, dtype)
    c, h = F.tree_lstm(*inputs)
    c_ref, h_ref = _reference(*inputs)
    assert c.dtype == dtype and c.shape == c_shape and h.shape == c_shape
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(c.array, c_ref, atol=tol, rtol=tol)
    numpy.testing.assert_allclose(h.array, h_ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('n_children', [1, 2])
def test_backward(dtype, n_children):
    inputs = _inputs(n_children, (3, 2, 2), dtype)
    gys = tuple(numpy.random.randn(3, 2, 2).astype(dtype) for _ in range(2))
    gradient_check.check_backward(F.tree_lstm, inputs, gys, dtype=numpy.float64,
                                  **TOL[dtype])


@pytest.mark.parametrize('use', ['c', 'h'])
def test_backward_one_output(use):
    inputs = _inputs(2, (3, 2), numpy.float64)
    gc = numpy.random.randn(3, 2) if use == 'c' else None
    gh = numpy.random.randn(3, 2) if use == 'h' else None
    gradient_check.check_backward(F.tree_lstm, inputs, (gc, gh), dtype=numpy.float64)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    inputs = _inputs(2, (3, 2), dtype)
    gys = tuple(numpy.random.randn(3, 2).astype(dtype) for _ in range(2))
    ggs = tuple(numpy.random.randn(*v.shape).astype(dtype) for v in inputs)
    gradient_check.check_double_backward(F.tree_lstm, inputs, gys, ggs, dtype=numpy.float64,
                                         **TOL[dtype])


@pytest.mark.parametrize('shapes', [
    ((3, 2), (3, 2), (3, 8)),        # two children need 5 blocks (10 channels)
    ((3, 2), (2, 2), (3, 10)),       # children of different batch
    ((3, 2), (3, 2, 1), (3, 10)),    # ndim mismatch
    ((3, 10),),                      # no child at all
])
def test_invalid_shapes(shapes):
    with pytest.raises(type_check.InvalidType):
        F.tree_lstm(*(numpy.zeros(s, numpy.float32) for s in shapes))


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.tree_lstm(numpy.zeros((3, 2), numpy.float64), numpy.zeros((3, 8), numpy.float32))

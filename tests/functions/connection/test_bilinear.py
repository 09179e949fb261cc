"""Tests of F.bilinear."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _inputs(dtype, with_linear, seed=0):
    rng = numpy.random.RandomState(seed)
    e1 = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    e2 = rng.uniform(-1, 1, (4, 2)).astype(dtype)
    W = rng.uniform(-1, 1, (3, 2, 5)).astype(dtype)
    if not with_linear:
        return e1, e2, W
    return (e1, e2, W, rng.uniform(-1, 1, (3, 5)).astype(dtype),
            rng.uniform(-1, 1, (2, 5)).astype(dtype), rng.uniform(-1, 1, 5).astype(dtype))


def _reference(e1, e2, W, V1=None, V2=None, b=None):
    y = numpy.zeros((len(e1), W.shape[2]))
    for i in range(len(e1)):
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                y[i] += e1[i, j] * e2[i, k] * W[j, k]
    if V1 is not None:
        y += e1.dot(V1) + e2.dot(V2) + b
    return y


TOL = {numpy.float16: dict(rtol=2e-2, atol=2e-2), numpy.float32: dict(rtol=1e-5, atol=1e-5),
       numpy.float64: dict(rtol=1e-12, atol=1e-12)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('with_linear', [False, True])
def test_forward_backward(dtype, with_linear):
    inputs = _inputs(dtype, with_linear)
    y = F.bilinear(*inputs)
    assert y.shape == (4, 5) and y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _reference(*[a.astype(numpy.float64)
                                                        for a in inputs]), **TOL[dtype])
    gy = numpy.random.RandomState(1).uniform(-1, 1, (4, 5)).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2, eps=1e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-3)
    gradient_check.check_backward(F.bilinear, inputs, gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    inputs = _inputs(dtype, True, 2)
    rng = numpy.random.RandomState(3)
    gy = rng.uniform(-1, 1, (4, 5)).astype(dtype)
    ggs = tuple(rng.uniform(-1, 1, a.shape).astype(dtype) for a in inputs)
    gradient_check.check_double_backward(F.bilinear, inputs, gy, ggs, dtype=numpy.float64,
                                         atol=1e-3, rtol=1e-3)


def test_flattens_inputs():
    e1, e2, W = _inputs(numpy.float64, False)
    y = F.bilinear(e1.reshape(4, 3, 1), e2, W)
    numpy.testing.assert_allclose(y.array, _reference(e1, e2, W), rtol=1e-12)


def test_invalid():
    e1, e2, W, V1, V2, b = _inputs(numpy.float32, True)
    with pytest.raises(type_check.InvalidType):
        F.bilinear(e1, e2[:3], W)
    with pytest.raises(type_check.InvalidType):
        F.bilinear(e1, e2, W[:2])
    with pytest.raises(type_check.InvalidType):
        F.bilinear(e1, e2, W, V1, V2, b[:4])
    with pytest.raises(type_check.InvalidType):
        F.bilinear(e1.astype(numpy.float64), e2, W)
    with pytest.raises(ValueError):
        F.bilinear(e1, e2, W, V1)

"""Elementwise unary math functions: forward against numpy, gradients, type errors."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _uniform(low, high):
    def sample(shape, dtype):
        return numpy.asarray(numpy.random.uniform(low, high, shape), dtype)
    return sample


def _away_from_zero(shape, dtype):
    x = numpy.random.uniform(0.5, 2, shape) * numpy.random.choice([-1, 1], shape)
    return numpy.asarray(x, dtype)


# name: (function, numpy reference, input sampler, twice differentiable)
CASES = {
    'sin': (F.sin, numpy.sin, _uniform(-3, 3), True),
    'cos': (F.cos, numpy.cos, _uniform(-3, 3), True),
    'tan': (F.tan, numpy.tan, _uniform(-1.2, 1.2), True),
    'sinh': (F.sinh, numpy.sinh, _uniform(-2, 2), True),
    'cosh': (F.cosh, numpy.cosh, _uniform(-2, 2), True),
    'arcsin': (F.arcsin, numpy.arcsin, _uniform(-0.8, 0.8), True),
    'arccos': (F.arccos, numpy.arccos, _uniform(-0.8, 0.8), True),
    'arctan': (F.arctan, numpy.arctan, _uniform(-3, 3), True),
    'arctanh': (F.arctanh, numpy.arctanh, _uniform(-0.8, 0.8), True),
    'sqrt': (F.sqrt, numpy.sqrt, _uniform(0.5, 3), True),
    'rsqrt': (F.rsqrt, lambda x: 1 / numpy.sqrt(x), _uniform(0.5, 3), True),
    'square': (F.square, lambda x: x * x, _uniform(-2, 2), True),
    'exp': (F.exp, numpy.exp, _uniform(-2, 2), True),
    'expm1': (F.expm1, numpy.expm1, _uniform(-2, 2), True),
    'log': (F.log, numpy.log, _uniform(0.5, 3), True),
    'log1p': (F.log1p, numpy.log1p, _uniform(-0.5, 3), True),
    'log2': (F.log2, numpy.log2, _uniform(0.5, 3), True),
    'log10': (F.log10, numpy.log10, _uniform(0.5, 3), True),
    'absolute': (F.absolute, numpy.abs, _away_from_zero, True),
}

FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _tolerances(dtype):
    if dtype == numpy.float16:
        return {'atol': 5e-2, 'rtol': 5e-2}
    if dtype == numpy.float32:
        return {'atol': 1e-4, 'rtol': 1e-3}
    return {'atol': 1e-6, 'rtol': 1e-5}


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', FLOATS)
def test_forward(name, dtype):
    func, ref, sample, _ = CASES[name]
    x = sample((3, 4), dtype)
    y = func(x)
    assert y.dtype == dtype
    assert y.shape == x.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  ref(x.astype(numpy.float64)),
                                  **_tolerances(dtype))


@pytest.mark.parametrize('name', sorted(CASES))
def test_forward_zero_dim(name):
    func, ref, sample, _ = CASES[name]
    x = sample((), numpy.float32)
    y = func(x)
    assert isinstance(y.array, numpy.ndarray) and y.shape == ()
    numpy.testing.assert_allclose(y.array, ref(x), rtol=1e-5)


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', FLOATS)
def test_backward(name, dtype):
    func, _, sample, _ = CASES[name]
    x = sample((2, 3), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_backward(func, x, gy, dtype=numpy.float64, **_tolerances(dtype))


@pytest.mark.parametrize('name', sorted(n for n in CASES if CASES[n][3]))
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(name, dtype):
    func, _, sample, _ = CASES[name]
    x = sample((2, 3), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = {'atol': 1e-3, 'rtol': 1e-2} if dtype == numpy.float32 else {}
    gradient_check.check_double_backward(func, x, gy, ggx, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('name', sorted(CASES))
def test_integer_input_is_rejected(name):
    func = CASES[name][0]
    with pytest.raises(type_check.InvalidType):
        func(numpy.arange(6, dtype=numpy.int32).reshape(2, 3))

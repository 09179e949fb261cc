"""F.squared_error, F.absolute_error, F.mean_absolute_error: values, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: 5e-2, numpy.float32: 1e-4, numpy.float64: 1e-7}
DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _inputs(dtype, shape=(3, 4)):
    rng = numpy.random.RandomState(0)
    x0 = rng.uniform(-1, 1, shape)
    # Keep |x0 - x1| away from 0, where the absolute error has a kink.
    x1 = x0 + rng.choice([-1, 1], shape) * rng.uniform(0.2, 1, shape)
    return x0.astype(dtype), x1.astype(dtype)


REFERENCES = {
    'squared_error': lambda d: d * d,
    'absolute_error': numpy.abs,
    'mean_absolute_error': lambda d: numpy.abs(d).mean(),
}


@pytest.mark.parametrize('name', sorted(REFERENCES))
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward(name, dtype):
    x0, x1 = _inputs(dtype)
    y = getattr(F, name)(x0, x1)
    expected = REFERENCES[name](x0.astype(numpy.float64) - x1.astype(numpy.float64))
    assert y.dtype == dtype and y.shape == numpy.shape(expected)
    numpy.testing.assert_allclose(y.array, expected, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize('name', sorted(REFERENCES))
@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(name, dtype):
    x0, x1 = _inputs(dtype)
    f = getattr(F, name)
    gy = None if name.startswith('mean') else numpy.random.randn(*x0.shape).astype(dtype)
    eps = 1e-2 if dtype == numpy.float16 else 1e-3
    gradient_check.check_backward(f, (x0, x1), gy, dtype=numpy.float64, eps=eps,
                                  atol=TOL[dtype], rtol=TOL[dtype])


@pytest.mark.parametrize('name', sorted(REFERENCES))
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(name, dtype):
    x0, x1 = _inputs(dtype)
    rng = numpy.random.RandomState(1)
    mean = name.startswith('mean')
    gy = numpy.asarray(rng.randn(*(() if mean else x0.shape)), dtype)
    ggx = (rng.randn(*x0.shape).astype(dtype), rng.randn(*x0.shape).astype(dtype))
    gradient_check.check_double_backward(getattr(F, name), (x0, x1), gy, ggx,
                                         dtype=numpy.float64, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize('name', sorted(REFERENCES))
@pytest.mark.parametrize('a,b', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.float32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64)),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32)),
])
def test_invalid_type(name, a, b):
    with pytest.raises(type_check.InvalidType):
        getattr(F, name)(a, b)

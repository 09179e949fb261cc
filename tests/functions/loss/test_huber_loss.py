"""F.huber_loss: value against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, t, delta, reduce):
    d = x.astype(numpy.float64) - t
    a = numpy.abs(d)
    loss = numpy.where(a <= delta, 0.5 * d * d, delta * (a - 0.5 * delta))
    return loss.sum(axis=1) if reduce == 'sum_along_second_axis' else loss


def _inputs(dtype, shape=(4, 5)):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-3, 3, shape)
    t = rng.uniform(-3, 3, shape)
    # |x - t| stays away from delta (1.0), where the second derivative jumps.
    d = x - t
    near = numpy.abs(numpy.abs(d) - 1.0) < 0.1
    x[near] += 0.3
    return x.astype(dtype), t.astype(dtype)


@pytest.mark.parametrize('reduce', ['sum_along_second_axis', 'no'])
@pytest.mark.parametrize('delta', [0.5, 1.0, 2.0])
@pytest.mark.parametrize('shape', [(4, 5), (2, 3, 4)])
def test_forward(reduce, delta, shape):
    x, t = _inputs(numpy.float64, shape)
    y = F.huber_loss(x, t, delta, reduce=reduce)
    numpy.testing.assert_allclose(y.array, _reference(x, t, delta, reduce), rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float16, 5e-2), (numpy.float32, 1e-4),
                                       (numpy.float64, 1e-7)])
@pytest.mark.parametrize('reduce', ['sum_along_second_axis', 'no'])
def test_backward(dtype, tol, reduce):
    x, t = _inputs(dtype)
    shape = (4,) if reduce != 'no' else x.shape
    gy = numpy.random.randn(*shape).astype(dtype)
    gradient_check.check_backward(lambda x, t: F.huber_loss(x, t, 1.0, reduce=reduce), (x, t),
                                  gy, dtype=numpy.float64, atol=tol, rtol=tol,
                                  eps=1e-2 if dtype == numpy.float16 else 1e-3)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x, t = _inputs(dtype)
    rng = numpy.random.RandomState(3)
    gy = rng.randn(4).astype(dtype)
    ggx = (rng.randn(*x.shape).astype(dtype), rng.randn(*x.shape).astype(dtype))
    gradient_check.check_double_backward(lambda x, t: F.huber_loss(x, t, 1.0), (x, t), gy, ggx,
                                         dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.huber_loss(numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 4), numpy.float32), 1)
    with pytest.raises(type_check.InvalidType):
        F.huber_loss(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float32), 1)
    with pytest.raises(ValueError, match='reduce'):
        F.huber_loss(numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float32),
                     1, reduce='mean')

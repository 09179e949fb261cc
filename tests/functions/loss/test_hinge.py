"""F.hinge: value against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, t, norm, reduce):
    x = x.astype(numpy.float64)
    sign = numpy.ones_like(x)
    sign[numpy.arange(len(t)), t] = -1
    loss = numpy.maximum(0, 1 + sign * x)
    if norm == 'L2':
        loss = loss ** 2
    return loss.sum() / len(x) if reduce == 'mean' else loss


def _inputs(dtype):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-2, 2, (5, 4))
    # Stay off the kinks at x = +-1.
    x[numpy.abs(numpy.abs(x) - 1) < 0.1] += 0.3
    t = rng.randint(0, 4, 5).astype(numpy.int32)
    return x.astype(dtype), t


@pytest.mark.parametrize('norm', ['L1', 'L2'])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward(norm, reduce):
    x, t = _inputs(numpy.float64)
    y = F.hinge(x, t, norm=norm, reduce=reduce)
    numpy.testing.assert_allclose(y.array, _reference(x, t, norm, reduce), rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float16, 5e-2), (numpy.float32, 1e-4),
                                       (numpy.float64, 1e-7)])
@pytest.mark.parametrize('norm', ['L1', 'L2'])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, tol, norm, reduce):
    x, t = _inputs(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(*x.shape).astype(dtype)
    gradient_check.check_backward(lambda x, t: F.hinge(x, t, norm, reduce), (x, t), gy,
                                  dtype=numpy.float64, atol=tol, rtol=tol,
                                  eps=1e-2 if dtype == numpy.float16 else 1e-3)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward_l2(dtype):
    x, t = _inputs(dtype)
    rng = numpy.random.RandomState(1)
    gy = rng.randn(*x.shape).astype(dtype)
    ggx = rng.randn(*x.shape).astype(dtype)
    gradient_check.check_double_backward(lambda x, t: F.hinge(x, t, 'L2', 'no'), (x, t), gy,
                                         ggx, dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.hinge(numpy.zeros((2, 3), numpy.float32), numpy.zeros(3, numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.hinge(numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.float32))
    with pytest.raises(NotImplementedError):
        F.hinge(numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.int32), norm='L3')
    with pytest.raises(ValueError):
        F.hinge(numpy.zeros((2, 3), numpy.float32), numpy.array([0, 3], numpy.int32))

"""F.clip: values, gradient zero outside the interval, None bounds, bad arguments."""
import numpy
import pytest

import dchain.functions as F
from dchain import Variable
from dchain import gradient_check
from dchain.utils import type_check


def _away_from(bounds, shape, dtype):
    x = numpy.random.uniform(-2, 2, shape)
    for b in bounds:
        x = numpy.where(numpy.abs(x - b) < 0.05, x + 0.1, x)
    return x.astype(dtype)


@pytest.mark.parametrize('bounds', [(-0.5, 0.7), (None, 0.3), (-0.2, None)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_clip(bounds, dtype):
    lo, hi = bounds
    x = _away_from([b for b in bounds if b is not None], (4, 5), dtype)
    y = F.clip(x, lo, hi)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, numpy.clip(x, lo, hi).astype(dtype))
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {}

    def f(x):
        return F.clip(x, lo, hi)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        gradient_check.check_double_backward(f, x, gy, numpy.ones_like(x), dtype=numpy.float64)


def test_clip_gradient_mask():
    x = Variable(numpy.array([-2., 0., 2.], numpy.float32))
    F.sum(F.clip(x, -1.0, 1.0)).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 0])


def test_bad_arguments():
    with pytest.raises(ValueError):
        F.clip(numpy.zeros(3, numpy.float32), 1.0, 0.0)
    with pytest.raises(ValueError):
        F.clip(numpy.zeros(3, numpy.float32), None, None)
    with pytest.raises(type_check.InvalidType):
        F.clip(numpy.zeros(3, numpy.int32), 0, 1)

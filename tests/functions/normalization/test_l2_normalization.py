"""Tests of F.normalize."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,axis', [((3, 4), 1), ((2, 3, 4), 2), ((2, 3, 2), (1, 2)),
                                        ((4, 3), 0)])
def test_forward_backward(dtype, shape, axis):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1, 1], shape)
    x = x.astype(dtype)
    y = F.normalize(x, eps=1e-3, axis=axis)
    x64 = x.astype(numpy.float64)
    ref = x64 / (numpy.sqrt((x64 ** 2).sum(axis=axis, keepdims=True)) + 1e-3)
    tol = dict(rtol=1e-2, atol=1e-3) if dtype == numpy.float16 else dict(rtol=1e-5, atol=1e-6)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref, **tol)
    gy = rng.uniform(-1, 1, shape).astype(dtype)
    gtol = dict(atol=5e-2, rtol=5e-2, eps=1e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-3, eps=1e-3)
    gradient_check.check_backward(lambda x: F.normalize(x, axis=axis), x, gy,
                                  dtype=numpy.float64, **gtol)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    rng = numpy.random.RandomState(1)
    x = (rng.uniform(0.5, 1.5, (3, 4)) * rng.choice([-1, 1], (3, 4))).astype(dtype)
    gy = rng.uniform(-1, 1, (3, 4)).astype(dtype)
    ggx = rng.uniform(-1, 1, (3, 4)).astype(dtype)
    gradient_check.check_double_backward(F.normalize, x, gy, ggx, dtype=numpy.float64,
                                         atol=1e-3, rtol=1e-3)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.normalize(numpy.ones((2, 3), numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.normalize(numpy.ones((2, 3), numpy.float32), axis=2)

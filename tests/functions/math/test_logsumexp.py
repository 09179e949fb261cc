"""F.logsumexp: values (also for huge and -inf inputs), gradients, bad axes."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, axis):
    x = x.astype(numpy.float64)
    return numpy.log(numpy.exp(x).sum(axis=axis))


@pytest.mark.parametrize('axis', [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_logsumexp(axis, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.logsumexp(x, axis=axis)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _reference(x, axis),
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-6,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(x):
        return F.reshape(F.logsumexp(x, axis=axis), shape)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
        gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64, atol=1e-3,
                                             rtol=1e-2)


def test_large_values_do_not_overflow():
    x = numpy.array([[1000., 1000.], [-1000., -1001.]], numpy.float32)
    y = F.logsumexp(x, axis=1)
    numpy.testing.assert_allclose(y.array, [1000 + numpy.log(2), -1000 + numpy.log1p(
        numpy.exp(-1.))], rtol=1e-6)


def test_all_minus_inf_row():
    x = numpy.array([[-numpy.inf, -numpy.inf], [0., 0.]], numpy.float64)
    y = F.logsumexp(x, axis=1)
    assert y.array[0] == -numpy.inf
    numpy.testing.assert_allclose(y.array[1], numpy.log(2))


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.logsumexp(numpy.zeros((2, 3), numpy.float32), axis=2)
    with pytest.raises(type_check.InvalidType):
        F.logsumexp(numpy.zeros((2, 3), numpy.int32))

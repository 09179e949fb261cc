"""F.det, F.batch_det, F.inv, F.batch_inv: values against numpy.linalg, gradients, errors."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _well_conditioned(shape, dtype):
    n = shape[-1]
    return (numpy.random.uniform(-1, 1, shape) + 3 * numpy.eye(n)).astype(dtype)


def _tol(dtype):
    if dtype == numpy.float16:
        return {'atol': 5e-2, 'rtol': 5e-2}
    if dtype == numpy.float32:
        return {'atol': 1e-3, 'rtol': 1e-3}
    return {'atol': 1e-6, 'rtol': 1e-5}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('batched', [False, True])
def test_det(dtype, batched):
    shape = (2, 3, 3) if batched else (3, 3)
    a = _well_conditioned(shape, dtype)
    func = F.batch_det if batched else F.det
    y = func(a)
    assert y.dtype == dtype and y.shape == shape[:-2]
    numpy.testing.assert_allclose(y.array, numpy.linalg.det(a.astype(numpy.float64)),
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-5)

    out_shape = shape[:-2] or (1,)

    def f(a):
        return F.reshape(func(a), out_shape)
    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)
    gradient_check.check_backward(f, a, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            f, a, gy, numpy.random.uniform(-1, 1, shape).astype(dtype), dtype=numpy.float64,
            atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('batched', [False, True])
def test_inv(dtype, batched):
    shape = (2, 3, 3) if batched else (3, 3)
    a = _well_conditioned(shape, dtype)
    func = F.batch_inv if batched else F.inv
    y = func(a)
    assert y.dtype == dtype and y.shape == shape
    numpy.testing.assert_allclose(y.array, numpy.linalg.inv(a.astype(numpy.float64)),
                                  **_tol(dtype))
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_backward(func, a, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype != numpy.float16:
        gradient_check.check_double_backward(
            func, a, gy, numpy.random.uniform(-1, 1, shape).astype(dtype), dtype=numpy.float64,
            atol=1e-2, rtol=1e-2)


def test_singular_matrix():
    with pytest.raises(ValueError):
        F.inv(numpy.zeros((2, 2), numpy.float32))
    numpy.testing.assert_allclose(F.det(numpy.ones((2, 2))).array, 0)


@pytest.mark.parametrize('func,shape', [
    (F.det, (2, 3)), (F.det, (2, 2, 2)), (F.batch_det, (2, 2)), (F.batch_det, (2, 2, 3)),
    (F.inv, (3, 2)), (F.inv, (2, 2, 2)), (F.batch_inv, (2, 2)), (F.batch_inv, (2, 3, 2))])
def test_bad_shapes(func, shape):
    with pytest.raises(type_check.InvalidType):
        func(numpy.ones(shape, numpy.float32))


def test_integer_rejected():
    with pytest.raises(type_check.InvalidType):
        F.det(numpy.eye(2, dtype=numpy.int32))

"""F.batch_matmul: batches of matrices and of vectors, transposes, gradients."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning')


def _op(x, trans):
    if x.ndim == 2:
        x = x[:, :, None]
    return x.transpose(0, 2, 1) if trans else x


@pytest.mark.parametrize('a_shape,b_shape,transa,transb', [
    ((2, 3, 4), (2, 4, 5), False, False),
    ((2, 4, 3), (2, 4, 5), True, False),
    ((2, 3, 4), (2, 5, 4), False, True),
    ((2, 4, 3), (2, 5, 4), True, True),
    ((2, 3), (2, 3), True, False),
    ((2, 3, 4), (2, 4), False, False),
])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_batch_matmul(a_shape, b_shape, transa, transb, dtype):
    a = numpy.random.uniform(-1, 1, a_shape).astype(dtype)
    b = numpy.random.uniform(-1, 1, b_shape).astype(dtype)
    y = F.batch_matmul(a, b, transa=transa, transb=transb)
    expect = numpy.einsum('bij,bjk->bik', _op(a.astype(numpy.float64), transa),
                          _op(b.astype(numpy.float64), transb))
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-6)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)

    def f(a, b):
        return F.batch_matmul(a, b, transa=transa, transb=transb)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        gradient_check.check_double_backward(
            f, (a, b), gy, (numpy.random.uniform(-1, 1, a_shape),
                            numpy.random.uniform(-1, 1, b_shape)), dtype=numpy.float64)


def test_warns_deprecated():
    with pytest.warns(DeprecationWarning):
        F.batch_matmul(numpy.ones((2, 3, 3)), numpy.ones((2, 3, 3)))


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.batch_matmul(numpy.ones((2, 3, 4), numpy.float32), numpy.ones((2, 3, 4), numpy.float32))
    with pytest.raises(ValueError):
        F.batch_matmul(numpy.ones(3, numpy.float32), numpy.ones((3, 3, 1), numpy.float32))

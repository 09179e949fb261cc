import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('t_dtype', [numpy.int32, numpy.int64])
def test_select_item(dtype, t_dtype):
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(dtype)
    t = numpy.array([2, 0, 1, 1], t_dtype)
    y = F.select_item(x, t)
    numpy.testing.assert_array_equal(y.array, [x[i, t[i]] for i in range(4)])
    gy = numpy.random.uniform(-1, 1, 4).astype(dtype)
    gradient_check.check_backward(F.select_item, (x, t), gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, (4, 3)).astype(dtype)
    gradient_check.check_double_backward(F.select_item, (x, t), gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_select_item_grad_values():
    x = dchain.Variable(numpy.zeros((2, 3), 'f'))
    y = F.select_item(x, numpy.array([1, 2], 'i'))
    y.grad = numpy.array([5, 7], 'f')
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 5, 0], [0, 0, 7]])


@pytest.mark.parametrize('x,t', [
    (numpy.ones((2, 3), 'f'), numpy.zeros(2, 'f')),        # float indices
    (numpy.ones((2, 3), 'f'), numpy.zeros(3, 'i')),        # length mismatch
    (numpy.ones((2, 3, 1), 'f'), numpy.zeros(2, 'i')),     # x not 2-D
    (numpy.ones((2, 3), 'f'), numpy.zeros((2, 1), 'i')),   # t not 1-D
])
def test_select_item_invalid(x, t):
    with pytest.raises(type_check.InvalidType):
        F.select_item(x, t)

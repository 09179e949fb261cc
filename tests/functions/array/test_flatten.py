import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(3, 4), (2, 3, 2), (), (5,)])
def test_flatten(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.flatten(x)
    n = int(numpy.prod(shape))
    assert y.shape == (n,)
    numpy.testing.assert_array_equal(y.array, [x[numpy.unravel_index(i, shape)]
                                               for i in range(n)])
    # gradient_check cannot perturb 0-dim arrays (core bug, see report); skip those.
    if x.ndim == 0:
        return
    gy = numpy.random.uniform(-1, 1, (n,)).astype(dtype)
    gradient_check.check_backward(F.flatten, x, gy, dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(F.flatten, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_flatten_invalid():
    with pytest.raises(type_check.InvalidType):
        F.Flatten().apply((numpy.ones(2, 'f'), numpy.ones(2, 'f')))


def test_flatten_non_array():
    with pytest.raises(TypeError, match=r'input 0 of Flatten must be a Variable or an '
                                        r'array .*not list'):
        F.flatten([[1.0, 2.0]])
    with pytest.raises(TypeError, match=r'input 0 of Flatten .*not float'):
        F.flatten(1.0)

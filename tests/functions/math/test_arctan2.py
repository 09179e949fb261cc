"""F.arctan2: values in every quadrant, broadcasting, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _nonzero(shape, dtype):
    x = numpy.random.uniform(0.3, 2, shape) * numpy.random.choice([-1, 1], shape)
    return numpy.asarray(x, dtype)


@pytest.mark.parametrize('shapes', [((3, 4), (3, 4)), ((3, 4), (4,)), ((), (2,))])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_arctan2(shapes, dtype):
    x1, x2 = _nonzero(shapes[0], dtype), _nonzero(shapes[1], dtype)
    y = F.arctan2(x1, x2)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, numpy.arctan2(x1.astype(numpy.float64), x2),
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-6)
    if x1.ndim == 0:
        return
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = {'atol': 5e-2, 'rtol': 5e-2} if dtype == numpy.float16 else {'atol': 1e-4,
                                                                      'rtol': 1e-3}
    gradient_check.check_backward(F.arctan2, (x1, x2), gy, dtype=numpy.float64, **tol)
    if dtype != numpy.float16:
        ggs = (numpy.random.uniform(-1, 1, x1.shape).astype(dtype),
               numpy.random.uniform(-1, 1, x2.shape).astype(dtype))
        gradient_check.check_double_backward(F.arctan2, (x1, x2), gy, ggs,
                                             dtype=numpy.float64, atol=1e-3, rtol=1e-2)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.arctan2(numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float64))
    with pytest.raises(type_check.InvalidType):
        F.arctan2(numpy.ones(3, numpy.float32), numpy.ones(2, numpy.float32))

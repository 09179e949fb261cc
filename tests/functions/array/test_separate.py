import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,axis', [((3, 4), 0), ((3, 4), 1), ((2, 3, 4), -2), ((3,), 0)])
def test_separate(shape, axis, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    ys = F.separate(x, axis)
    assert isinstance(ys, tuple)
    assert len(ys) == shape[axis]
    for i, y in enumerate(ys):
        numpy.testing.assert_array_equal(y.array, numpy.take(x, i, axis=axis))
    gys = tuple(numpy.random.uniform(-1, 1, y.shape).astype(dtype) for y in ys)
    gradient_check.check_backward(lambda v: F.separate(v, axis), x, gys, dtype=numpy.float64,
                                  **TOL[dtype])
    # gradient_check cannot perturb 0-dim arrays (core bug, see report); skip those.
    if ys[0].ndim == 0:
        return
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.separate(v, axis), x, gys, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_separate_partial_grads():
    x = numpy.random.uniform(-1, 1, (3, 2)).astype('f')
    gradient_check.check_backward(lambda v: F.separate(v), x,
                                  (None, numpy.ones(2, 'f'), None), dtype=numpy.float64)


def test_separate_invalid():
    with pytest.raises(type_check.InvalidType):
        F.separate(numpy.ones((2, 3), 'f'), axis=2)

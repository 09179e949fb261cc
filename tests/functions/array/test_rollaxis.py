import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('axis,start,out', [(2, 0, (4, 2, 3)), (0, 3, (3, 4, 2)),
                                            (0, 2, (3, 2, 4)), (-1, 1, (2, 4, 3)),
                                            (1, -1, (2, 3, 4)), (1, 1, (2, 3, 4))])
def test_rollaxis(axis, start, out, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.rollaxis(x, axis, start)
    assert y.shape == out
    # The moved axis is the only one whose size can tell where it went; check values via
    # an explicit permutation derived from the expected shape (sizes are distinct).
    perm = [(2, 3, 4).index(s) for s in out]
    numpy.testing.assert_array_equal(y.array, x.transpose(perm))
    gy = numpy.random.uniform(-1, 1, out).astype(dtype)
    gradient_check.check_backward(lambda v: F.rollaxis(v, axis, start), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.rollaxis(v, axis, start), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_rollaxis_invalid():
    with pytest.raises(type_check.InvalidType):
        F.rollaxis(numpy.ones((2, 3), 'f'), 2)
    with pytest.raises(type_check.InvalidType):
        F.rollaxis(numpy.ones((2, 3), 'f'), 0, 3)

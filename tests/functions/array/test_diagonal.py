import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,offset,axis1,axis2', [((3, 4), 0, 0, 1), ((3, 4), 1, 0, 1),
                                                      ((3, 4), -2, 0, 1), ((2, 3, 4), 0, 2, 0),
                                                      ((2, 3, 4), 1, -1, 1)])
def test_diagonal(shape, offset, axis1, axis2, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.diagonal(x, offset, axis1, axis2)
    a1, a2 = axis1 % x.ndim, axis2 % x.ndim
    rest = [a for a in range(x.ndim) if a not in (a1, a2)]
    moved = x.transpose(rest + [a1, a2])
    diag = [moved[..., i, i + offset] for i in range(moved.shape[-2])
            if 0 <= i + offset < moved.shape[-1]]
    expect = numpy.stack(diag, axis=-1)
    numpy.testing.assert_array_equal(y.array, expect)
    y.array[...] = 0  # the output is an ordinary writable array
    gy = numpy.random.uniform(-1, 1, expect.shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.diagonal(v, offset, axis1, axis2), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.diagonal(v, offset, axis1, axis2), x, gy,
                                         ggx, dtype=numpy.float64, **TOL[dtype])


def test_diagonal_invalid():
    with pytest.raises(type_check.InvalidType):
        F.diagonal(numpy.ones(3, 'f'))
    with pytest.raises(type_check.InvalidType):
        F.diagonal(numpy.ones((2, 3), 'f'), 0, 0, 2)
    with pytest.raises(ValueError):
        F.diagonal(numpy.ones((2, 3), 'f'), 0, 1, -1)

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _reference_perm(ndim, source, destination):
    source = [s % ndim for s in numpy.atleast_1d(source)]
    destination = [d % ndim for d in numpy.atleast_1d(destination)]
    rest = [a for a in range(ndim) if a not in source]
    perm = [None] * ndim
    for s, d in zip(source, destination):
        perm[d] = s
    it = iter(rest)
    return [p if p is not None else next(it) for p in perm]


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('src,dst', [(0, 2), (-1, 0), ((0, 1), (2, 0)), (1, 1)])
def test_moveaxis(src, dst, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.moveaxis(x, src, dst)
    perm = _reference_perm(3, src, dst)
    assert y.shape == tuple(x.shape[p] for p in perm)
    for index in numpy.ndindex(*y.shape):
        src_index = [None] * 3
        for k, p in enumerate(perm):
            src_index[p] = index[k]
        assert y.array[index] == x[tuple(src_index)]
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.moveaxis(v, src, dst), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.moveaxis(v, src, dst), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_moveaxis_invalid():
    x = numpy.ones((2, 3), 'f')
    with pytest.raises(type_check.InvalidType):
        F.moveaxis(x, 2, 0)
    with pytest.raises(ValueError):
        F.moveaxis(x, (0, 1), 0)
    with pytest.raises(ValueError):
        F.moveaxis(x, (0, 0), (0, 1))

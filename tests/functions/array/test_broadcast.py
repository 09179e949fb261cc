import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shapes,out', [([(3, 1, 2), (1, 4, 1), (2,)], (3, 4, 2)),
                                        ([(2, 3), (2, 3)], (2, 3)),
                                        ([(), (2, 1)], (2, 1))])
def test_broadcast(shapes, out, dtype):
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    ys = F.broadcast(*xs)
    assert isinstance(ys, tuple) and len(ys) == len(xs)
    for x, y in zip(xs, ys):
        assert y.shape == out
        for index in numpy.ndindex(*out):
            src = tuple(0 if n == 1 else i
                        for i, n in zip(index[len(out) - x.ndim:], x.shape))
            assert y.array[index] == x[src]
    # gradient_check cannot perturb 0-dim arrays (core bug, see report); skip those.
    if any(x.ndim == 0 for x in xs):
        return
    gys = tuple(numpy.random.uniform(-1, 1, out).astype(dtype) for _ in xs)
    gradient_check.check_backward(F.broadcast, xs, gys, dtype=numpy.float64, **TOL[dtype])
    ggxs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    gradient_check.check_double_backward(F.broadcast, xs, gys, ggxs, dtype=numpy.float64,
                                         **TOL[dtype])


def test_broadcast_single():
    x = numpy.ones((2, 3), 'f')
    y = F.broadcast(x)
    assert isinstance(y, dchain.Variable)
    numpy.testing.assert_array_equal(y.array, x)


def test_broadcast_invalid():
    with pytest.raises(type_check.InvalidType):
        F.broadcast(numpy.ones((2, 3), 'f'), numpy.ones((3, 2), 'f'))


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_broadcast_to(dtype):
    x = numpy.random.uniform(-1, 1, (3, 1)).astype(dtype)
    y = F.broadcast_to(x, (2, 3, 4))
    numpy.testing.assert_array_equal(y.array, numpy.tile(x[None], (2, 1, 4)))
    gy = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    gradient_check.check_backward(lambda v: F.broadcast_to(v, (2, 3, 4)), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    gradient_check.check_double_backward(lambda v: F.broadcast_to(v, (2, 3, 4)), x, gy,
                                         numpy.ones((3, 1), dtype), dtype=numpy.float64,
                                         **TOL[dtype])
    with pytest.raises(type_check.InvalidType):
        F.broadcast_to(x, (2, 2, 4))

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('slices,b_shape', [
    ((slice(None), 1), (3,)),
    ((slice(0, 2), slice(1, 3)), (2, 2)),
    (([0, 2, 0], [1, 1, 1]), (3,)),          # repeated index accumulates
    ((numpy.array([[True, False, True, False]] * 3),), (6,)),
    ((slice(None), 1), ()),                  # broadcast scalar b
    ((Ellipsis, None, slice(1, 2)), (3, 1, 1)),
])
def test_scatter_add(slices, b_shape, dtype):
    a = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    b = numpy.random.uniform(-1, 1, b_shape).astype(dtype)
    y = F.scatter_add(a, slices, b)
    # Reference: add b element by element through an index map of a.
    expect = a.astype(numpy.float64)
    positions = numpy.arange(a.size).reshape(a.shape)[slices]
    b_full = numpy.broadcast_to(b, positions.shape)
    flat = expect.reshape(-1)
    for p, v in zip(positions.ravel(), b_full.ravel()):
        flat[p] += v
    numpy.testing.assert_allclose(y.array, expect.astype(dtype), **TOL[dtype])
    assert y.shape == a.shape
    if b.ndim == 0:
        return  # gradient_check cannot perturb 0-dim arrays (see report)
    gy = numpy.random.uniform(-1, 1, a.shape).astype(dtype)
    func = lambda p, q: F.scatter_add(p, slices, q)  # noqa: E731
    gradient_check.check_backward(func, (a, b), gy, dtype=numpy.float64, **TOL[dtype])
    ggs = (numpy.random.uniform(-1, 1, a.shape).astype(dtype),
           numpy.random.uniform(-1, 1, b_shape).astype(dtype))
    gradient_check.check_double_backward(func, (a, b), gy, ggs, dtype=numpy.float64,
                                         **TOL[dtype])


def test_scatter_add_does_not_modify_input():
    a = numpy.zeros((2, 2), 'f')
    F.scatter_add(a, (0, 0), numpy.ones((), 'f'))
    assert (a == 0).all()


def test_scatter_add_invalid():
    with pytest.raises(type_check.InvalidType):
        F.scatter_add(numpy.ones((3, 4), 'f'), (slice(None), 1), numpy.ones(3, 'd'))
    with pytest.raises(type_check.InvalidType):
        F.scatter_add(numpy.ones((3, 4), 'f'), (slice(None), 1), numpy.ones(4, 'f'))

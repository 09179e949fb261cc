import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}

SHAPE = (4, 3, 2)
INDEXES = [
    1, slice(1, 3), (slice(None), 0), (Ellipsis, 1), (None, 1, slice(None, None, -1)),
    ([0, 2, 2],),                                   # advanced, repeated
    (slice(None), [2, 0]),                          # advanced on an inner axis
    (numpy.array([[0, 1], [3, 3]]), 1),             # 2-D index array
    (numpy.array([True, False, True, True]),),      # boolean mask
    (numpy.arange(24).reshape(SHAPE) % 3 == 0,),    # full boolean mask
    ([],),                                          # empty list
]


def _reference(x, index):
    # Index an array of positions, then read x at those positions one by one.
    pos = numpy.arange(x.size).reshape(x.shape)[index]
    return x.ravel()[pos.ravel()].reshape(pos.shape), pos


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('index', INDEXES)
def test_get_item(index, dtype):
    x = numpy.random.uniform(-1, 1, SHAPE).astype(dtype)
    y = F.get_item(x, index)
    expect, pos = _reference(x, index)
    numpy.testing.assert_array_equal(y.array, expect)
    assert isinstance(y.array, numpy.ndarray)
    if y.ndim == 0:
        return  # gradient_check cannot perturb 0-dim arrays (see report)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    # Gradient reference: scatter-add gy at the positions.
    gx = numpy.zeros(x.size)
    for p, g in zip(pos.ravel(), gy.astype(numpy.float64).ravel()):
        gx[p] += g
    xv = dchain.Variable(x)
    yv = F.get_item(xv, index)
    yv.grad = gy
    yv.backward()
    numpy.testing.assert_allclose(xv.grad, gx.reshape(SHAPE).astype(dtype), **TOL[dtype])
    gradient_check.check_backward(lambda v: F.get_item(v, index), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, SHAPE).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.get_item(v, index), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_variable_getitem_and_index_variable():
    x = dchain.Variable(numpy.arange(6, dtype='f').reshape(2, 3))
    numpy.testing.assert_array_equal(x[1].array, [3, 4, 5])
    ind = dchain.Variable(numpy.array([2, 0]), requires_grad=False)
    numpy.testing.assert_array_equal(F.get_item(x, (slice(None), ind)).array,
                                     [[2, 0], [5, 3]])


def test_get_item_invalid():
    with pytest.raises(IndexError):
        F.get_item(numpy.ones((2, 3), 'f'), (0, 5))
    with pytest.raises(type_check.InvalidType):
        F.GetItem(0).apply((numpy.ones(2, 'f'), numpy.ones(2, 'f')))

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape,ios,axis,bounds', [
    ((4, 6), 3, 1, [0, 2, 4, 6]),
    ((4, 6), [1, 4], 1, [0, 1, 4, 6]),
    ((6, 2), [2, 2, 5], 0, [0, 2, 2, 5, 6]),
    ((3, 5), [-2], -1, [0, 3, 5]),
    ((3, 5), [2, 10], 1, [0, 2, 5, 5]),
    ((2, 3, 4), 2, 2, [0, 2, 4]),
])
def test_split_axis(shape, ios, axis, bounds, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    ys = F.split_axis(x, ios, axis)
    assert isinstance(ys, tuple)
    assert len(ys) == len(bounds) - 1
    moved = numpy.moveaxis(x, axis, 0)
    for y, a, b in zip(ys, bounds, bounds[1:]):
        numpy.testing.assert_array_equal(numpy.moveaxis(y.array, axis, 0), moved[a:b])

    gys = tuple(numpy.random.uniform(-1, 1, y.shape).astype(dtype) for y in ys)
    gradient_check.check_backward(lambda v: F.split_axis(v, ios, axis), x, gys,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.split_axis(v, ios, axis), x, gys, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_split_axis_unused_output_gets_zero_grad():
    x = numpy.random.uniform(-1, 1, (2, 6)).astype('f')
    gradient_check.check_backward(lambda v: F.split_axis(v, 3, 1), x,
                                  (numpy.ones((2, 2), 'f'), None, numpy.ones((2, 2), 'f')),
                                  dtype=numpy.float64)
    from dchain import Variable
    xv = Variable(x)
    a, b, c = F.split_axis(xv, 3, 1)
    loss = F.sum(a) + F.sum(c)
    loss.backward()
    expect = numpy.ones((2, 6), 'f')
    expect[:, 2:4] = 0
    numpy.testing.assert_array_equal(xv.grad, expect)


def test_force_tuple():
    x = numpy.ones((2, 3), 'f')
    y = F.split_axis(x, 1, 1, force_tuple=False)
    assert not isinstance(y, tuple)
    assert y.shape == (2, 3)
    assert isinstance(F.split_axis(x, 1, 1), tuple)


def test_split_axis_invalid():
    with pytest.raises(type_check.InvalidType):
        F.split_axis(numpy.ones((2, 5), 'f'), 2, 1)   # 5 not divisible by 2
    with pytest.raises(type_check.InvalidType):
        F.split_axis(numpy.ones((2, 5), 'f'), 2, 2)   # axis out of range
    with pytest.raises(ValueError):
        F.split_axis(numpy.ones((2, 5), 'f'), [3, 1], 1)
    with pytest.raises(ValueError):
        F.split_axis(numpy.ones((2, 5), 'f'), 0, 1)


def test_split_axis_numpy_indices_roundtrip_with_concat():
    # The sequence_embed idiom: concat sequences, then split at cumulative lengths.
    lengths = [3, 1, 2]
    xs = [numpy.random.uniform(-1, 1, (n, 2)).astype('f') for n in lengths]
    sections = numpy.cumsum(lengths[:-1])
    ys = F.split_axis(F.concat(xs, axis=0), sections, 0)
    assert len(ys) == 3
    for x, y in zip(xs, ys):
        numpy.testing.assert_array_equal(y.array, x)

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shapes,axis', [
    ([(2, 3, 4), (2, 1, 4), (2, 2, 4)], 1),
    ([(2, 3), (4, 3)], 0),
    ([(2, 3), (2, 2)], -1),
    ([(5,)], 0),
])
def test_concat(shapes, axis, dtype):
    xs = [numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes]
    y = F.concat(xs, axis=axis)
    assert y.dtype == dtype
    # Reference: fill an empty array slab by slab.
    ax = axis % len(shapes[0])
    total = sum(s[ax] for s in shapes)
    out_shape = list(shapes[0])
    out_shape[ax] = total
    expect = numpy.empty(out_shape, dtype)
    start = 0
    for x in xs:
        index = [slice(None)] * len(out_shape)
        index[ax] = slice(start, start + x.shape[ax])
        expect[tuple(index)] = x
        start += x.shape[ax]
    numpy.testing.assert_array_equal(y.array, expect)

    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)
    gradient_check.check_backward(lambda *v: F.concat(v, axis), tuple(xs), gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    gradient_check.check_double_backward(lambda *v: F.concat(v, axis), tuple(xs), gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_concat_default_axis_is_1():
    a, b = numpy.ones((2, 1), 'f'), numpy.zeros((2, 2), 'f')
    assert F.concat((a, b)).shape == (2, 3)


@pytest.mark.parametrize('xs', [
    [numpy.ones((2, 3), 'f'), numpy.ones((3, 3), 'f')],     # mismatched non-axis dim
    [numpy.ones((2, 3), 'f'), numpy.ones((2, 3), 'd')],     # mismatched dtype
    [numpy.ones((2, 3), 'f'), numpy.ones((2, 3, 1), 'f')],  # mismatched ndim
    [numpy.ones((2,), 'f')],                                # axis 1 out of range
])
def test_concat_invalid(xs):
    with pytest.raises(type_check.InvalidType):
        F.concat(xs, axis=1)


def test_concat_integer_arrays():
    # seq2seq builds targets this way: F.concat([eos, y], axis=0) on int32 arrays.
    eos = numpy.array([0], numpy.int32)
    y = numpy.array([5, 6], numpy.int32)
    out = F.concat([eos, y], axis=0)
    assert out.dtype == numpy.int32
    numpy.testing.assert_array_equal(out.array, [0, 5, 6])

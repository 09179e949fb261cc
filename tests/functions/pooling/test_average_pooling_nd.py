"""Tests of F.average_pooling_nd / 1d / 3d (both pad_value modes) against loops here."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def reference_avg_pool_nd(x, ks, ss, ps, pad_value):
    nd = x.ndim - 2
    outs = [(x.shape[2 + i] + 2 * ps[i] - ks[i]) // ss[i] + 1 for i in range(nd)]
    y = numpy.zeros(x.shape[:2] + tuple(outs))
    for o in itertools.product(*[range(v) for v in outs]):
        total = 0
        count = 0
        for t in itertools.product(*[range(k) for k in ks]):
            pos = [o[i] * ss[i] + t[i] - ps[i] for i in range(nd)]
            if all(0 <= pos[i] < x.shape[2 + i] for i in range(nd)):
                total = total + x[(slice(None), slice(None)) + tuple(pos)]
                count += 1
        denom = numpy.prod(ks) if pad_value == 0 else count
        y[(slice(None), slice(None)) + o] = total / denom
    return y


CASES = [
    ((2, 3, 9), (3,), (2,), (1,)),
    ((1, 2, 5, 4, 5), (3, 2, 2), (2, 1, 2), (1, 0, 1)),
]


@pytest.mark.parametrize('shape,ks,ss,ps', CASES)
@pytest.mark.parametrize('pad_value', [0, None])
def test_forward_backward(shape, ks, ss, ps, pad_value):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(shape)
    y = F.average_pooling_nd(x, ks, ss, ps, pad_value)
    numpy.testing.assert_allclose(y.array, reference_avg_pool_nd(x, ks, ss, ps, pad_value),
                                  rtol=1e-12)
    wrapper = F.average_pooling_1d if len(shape) == 3 else F.average_pooling_3d
    numpy.testing.assert_array_equal(wrapper(x, ks, ss, ps, pad_value).array, y.array)
    gy = rng.standard_normal(y.shape)

    def f(x):
        return F.average_pooling_nd(x, ks, ss, ps, pad_value)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64)
    gradient_check.check_backward(f, x.astype(numpy.float32), gy.astype(numpy.float32),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, rng.standard_normal(x.shape),
                                         dtype=numpy.float64)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.average_pooling_3d(numpy.zeros((1, 2, 3, 3), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType):
        F.average_pooling_nd(numpy.zeros((1, 2, 1), numpy.float32), 2)
    with pytest.raises(ValueError):
        F.average_pooling_nd(numpy.zeros((1, 2, 4), numpy.float32), 2, pad_value=1)


_X1 = numpy.zeros((2, 3, 4), numpy.float32)


@pytest.mark.parametrize('x,args,kwargs,error,message', [
    (numpy.zeros((2, 3, 4, 4), numpy.float32), (2,), {}, type_check.InvalidType,
     r'x\.ndim == 3'),
    (_X1.astype(numpy.int32), (2,), {}, type_check.InvalidType, r"x\.dtype\.kind == 'f'"),
    (_X1, (0,), {}, ValueError, r'ksize must be >= 1, got 0'),
    (_X1, (None,), {}, ValueError, r'ksize is required'),
    (_X1, ((2, 2),), {}, ValueError, r'ksize must have 1 elements, got \(2, 2\)'),
    (_X1, (1.5,), {}, TypeError, r'ksize must be an int or a tuple of 1 ints, got 1\.5'),
    (_X1, (2, 0), {}, ValueError, r'stride must be >= 1, got 0'),
    (_X1, (2, 1, -1), {}, ValueError, r'pad must be >= 0, got -1'),
    # A window larger than the padded input.
    (_X1, (5,), {}, type_check.InvalidType, r'x\.shape\[2\] \+ 0 \+ 0 >= 5'),
    (_X1, (2,), {'pad_value': 1}, ValueError, r'pad_value must be 0 or None, got 1'),
], ids=['x-4d', 'int-x', 'ksize-0', 'ksize-none', 'ksize-length', 'ksize-float', 'stride-0',
        'pad-negative', 'window-too-large', 'pad-value'])
def test_average_pooling_1d_bad_input(x, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        F.average_pooling_1d(x, *args, **kwargs)

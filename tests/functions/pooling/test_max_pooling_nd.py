"""Tests of F.max_pooling_nd / 1d / 3d against a loop reference written here."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def out_len(size, k, s, p, cover_all):
    extra = s - 1 if cover_all else 0
    return (size + 2 * p - k + extra) // s + 1


def reference_max_pool_nd(x, ks, ss, ps, cover_all):
    nd = x.ndim - 2
    outs = [out_len(x.shape[2 + i], ks[i], ss[i], ps[i], cover_all) for i in range(nd)]
    y = numpy.full(x.shape[:2] + tuple(outs), -numpy.inf)
    for o in itertools.product(*[range(v) for v in outs]):
        for t in itertools.product(*[range(k) for k in ks]):
            pos = [o[i] * ss[i] + t[i] - ps[i] for i in range(nd)]
            if all(0 <= pos[i] < x.shape[2 + i] for i in range(nd)):
                y[(slice(None), slice(None)) + o] = numpy.maximum(
                    y[(slice(None), slice(None)) + o], x[(slice(None), slice(None)) +
                                                         tuple(pos)])
    return y


def distinct(shape, seed):
    size = int(numpy.prod(shape))
    return numpy.random.default_rng(seed).permutation(size).reshape(shape) / size - 0.5


CASES = [
    ((2, 3, 9), (3,), (2,), (1,), True),
    ((2, 2, 8), (2,), (2,), (0,), False),
    ((1, 2, 4, 5, 4), (2, 2, 2), (2, 2, 2), (0, 0, 0), True),
    ((1, 2, 5, 4, 5), (3, 2, 2), (2, 1, 2), (1, 0, 1), False),
]


@pytest.mark.parametrize('shape,ks,ss,ps,cover_all', CASES)
def test_forward_backward(shape, ks, ss, ps, cover_all):
    x = distinct(shape, 0)
    y = F.max_pooling_nd(x, ks, ss, ps, cover_all)
    numpy.testing.assert_array_equal(y.array,
                                     reference_max_pool_nd(x, ks, ss, ps, cover_all))
    wrapper = F.max_pooling_1d if len(shape) == 3 else F.max_pooling_3d
    numpy.testing.assert_array_equal(wrapper(x, ks, ss, ps, cover_all).array, y.array)
    rng = numpy.random.default_rng(1)
    gy = rng.standard_normal(y.shape)

    def f(x):
        return F.max_pooling_nd(x, ks, ss, ps, cover_all)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, eps=1e-4)
    gradient_check.check_backward(f, x.astype(numpy.float32), gy.astype(numpy.float32),
                                  dtype=numpy.float64, eps=1e-4, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, rng.standard_normal(x.shape),
                                         dtype=numpy.float64, eps=1e-4)


def test_return_indices_nd():
    x = distinct((1, 1, 4, 4, 4), 2)
    y, idx = F.max_pooling_3d(x, 2, return_indices=True)
    assert idx.shape == y.shape
    block = x[0, 0, :2, :2, :2].reshape(-1)
    assert idx[0, 0, 0, 0, 0] == numpy.argmax(block)


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.max_pooling_1d(numpy.zeros((1, 2, 3, 3), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType):
        F.max_pooling_nd(numpy.zeros((1, 2, 3), numpy.int32), 2)
    with pytest.raises(ValueError):
        F.max_pooling_nd(numpy.zeros((1, 2, 3), numpy.float32), (2, 2))


_X3 = numpy.zeros((1, 2, 4, 4, 4), numpy.float32)


@pytest.mark.parametrize('x,args,kwargs,error,message', [
    (numpy.zeros((1, 2, 4, 4), numpy.float32), (2,), {}, type_check.InvalidType,
     r'x\.ndim == 5'),
    (_X3.astype(numpy.int32), (2,), {}, type_check.InvalidType, r"x\.dtype\.kind == 'f'"),
    (_X3, (0,), {}, ValueError, r'ksize must be >= 1, got 0'),
    (_X3, ((2, 2),), {}, ValueError, r'ksize must have 3 elements, got \(2, 2\)'),
    (_X3, ('2',), {}, TypeError, r"ksize must be an int or a tuple of 3 ints, got '2'"),
    (_X3, (2, (1, 0, 1)), {}, ValueError, r'stride must be >= 1, got \(1, 0, 1\)'),
    (_X3, (2, None, -1), {}, ValueError, r'pad must be >= 0, got -1'),
    # Without cover_all a window larger than the padded input has nowhere to go.
    (_X3, ((2, 2, 5),), {'cover_all': False}, type_check.InvalidType,
     r'x\.shape\[4\] \+ 0 \+ 0 >= 5'),
], ids=['x-4d', 'int-x', 'ksize-0', 'ksize-length', 'ksize-str', 'stride-0', 'pad-negative',
        'window-too-large'])
def test_max_pooling_3d_bad_input(x, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        F.max_pooling_3d(x, *args, **kwargs)

"""Tests of F.unpooling_2d / unpooling_nd / 1d / 3d against a loop reference."""
import itertools

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def reference_unpool_nd(x, ks, ss, ps, outsize):
    nd = x.ndim - 2
    y = numpy.zeros(x.shape[:2] + tuple(outsize))
    for i in itertools.product(*[range(v) for v in x.shape[2:]]):
        for t in itertools.product(*[range(k) for k in ks]):
            pos = [i[d] * ss[d] + t[d] - ps[d] for d in range(nd)]
            if all(0 <= pos[d] < outsize[d] for d in range(nd)):
                y[(slice(None), slice(None)) + tuple(pos)] += x[(slice(None), slice(None)) +
                                                                i]
    return y


def test_unpooling_2d_repeats_pixels():
    x = numpy.arange(2 * 3 * 2 * 3, dtype=numpy.float32).reshape(2, 3, 2, 3)
    y = F.unpooling_2d(x, 2, cover_all=False)
    assert y.shape == (2, 3, 4, 6)
    numpy.testing.assert_array_equal(y.array, x.repeat(2, axis=2).repeat(2, axis=3))
    # cover_all=True (the default) takes the size back one stride shorter.
    assert F.unpooling_2d(x, 2).shape == (2, 3, 3, 5)
    assert F.unpooling_2d(x, 2, outsize=(4, 5)).shape == (2, 3, 4, 5)


@pytest.mark.parametrize('shape,ks,ss,ps,cover_all', [
    ((2, 2, 3, 3), (3, 3), (2, 2), (1, 1), True),
    ((1, 2, 4), (3,), (2,), (0,), False),
    ((1, 2, 2, 3, 2), (2, 2, 3), (2, 1, 2), (0, 0, 1), False),
])
def test_forward_backward(shape, ks, ss, ps, cover_all):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal(shape)
    y = F.unpooling_nd(x, ks, ss, ps, None, cover_all)
    outsize = y.shape[2:]
    numpy.testing.assert_allclose(y.array, reference_unpool_nd(x, ks, ss, ps, outsize),
                                  rtol=1e-12)
    nd = len(shape) - 2
    wrapper = {1: F.unpooling_1d, 2: F.unpooling_2d, 3: F.unpooling_3d}[nd]
    numpy.testing.assert_array_equal(wrapper(x, ks, ss, ps, None, cover_all).array, y.array)
    gy = rng.standard_normal(y.shape)

    def f(x):
        return F.unpooling_nd(x, ks, ss, ps, None, cover_all)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64)
    gradient_check.check_backward(f, x.astype(numpy.float32), gy.astype(numpy.float32),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, rng.standard_normal(x.shape),
                                         dtype=numpy.float64)


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.unpooling_2d(numpy.zeros((1, 2, 3), numpy.float32), 2)
    with pytest.raises(type_check.InvalidType):
        F.unpooling_2d(numpy.zeros((1, 2, 3, 3), numpy.float32), 2, outsize=(10, 10))
    with pytest.raises(type_check.InvalidType):
        F.unpooling_nd(numpy.zeros((1, 2, 3), numpy.int32), 2)


_X1 = numpy.zeros((2, 3, 4), numpy.float32)


@pytest.mark.parametrize('x,args,kwargs,error,message', [
    (numpy.zeros((2, 3, 4, 4), numpy.float32), (2,), {}, type_check.InvalidType,
     r'x\.ndim == 3'),
    (_X1.astype(numpy.int32), (2,), {}, type_check.InvalidType, r"x\.dtype\.kind == 'f'"),
    (_X1, (0,), {}, ValueError, r'ksize must be >= 1, got 0'),
    (_X1, (2, 0), {}, ValueError, r'stride must be >= 1, got 0'),
    (_X1, (2, 2, -1), {}, ValueError, r'pad must be >= 0, got -1'),
    (_X1, (2,), {'outsize': (8, 8)}, ValueError, r'outsize must have 1 elements'),
    # A pooling of window 2 maps an outsize of 3 onto 2 entries, not x's 4.
    (_X1, (2,), {'outsize': (3,)}, type_check.InvalidType, r'x\.shape\[2\] == 2'),
    # The padding crops more than the windows cover (numpy failed on a negative size).
    (_X1, (2, 2, 5), {}, type_check.InvalidType,
     r'\(x\.shape\[2\] - 1\) \* 2 \+ 2 - 1 >= 10'),
    (numpy.zeros((2, 3, 1), numpy.float32), (1, 1, 1), {'cover_all': False},
     type_check.InvalidType, r'\(x\.shape\[2\] - 1\) \* 1 \+ 1 - 0 >= 2'),
], ids=['x-4d', 'int-x', 'ksize-0', 'stride-0', 'pad-negative', 'outsize-length',
        'outsize-mismatch', 'pad-too-large', 'pad-too-large-no-cover-all'])
def test_unpooling_1d_bad_input(x, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        F.unpooling_1d(x, *args, **kwargs)


def test_unpooling_1d_padding_may_crop_everything():
    # Output size s (d - 1) + k - 2 p = 0 is still an output (the check rejects only < 0).
    y = F.unpooling_1d(numpy.ones((1, 2, 2), numpy.float32), 1, 1, 1, cover_all=False)
    assert y.shape == (1, 2, 0)

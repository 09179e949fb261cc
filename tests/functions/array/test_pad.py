import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _reference_index(i, n, mode):
    """Source index of padded position i (relative to the input start) for each mode."""
    if 0 <= i < n:
        return i
    if mode == 'edge':
        return min(max(i, 0), n - 1)
    if mode == 'wrap':
        return i % n
    period = 2 * (n - 1) if mode == 'reflect' else 2 * n
    j = i % period
    if mode == 'reflect':
        return j if j < n else period - j
    return j if j < n else period - 1 - j


def _reference_pad(x, widths, mode, value=0):
    out_shape = tuple(n + b + a for n, (b, a) in zip(x.shape, widths))
    out = numpy.empty(out_shape, x.dtype)
    for index in numpy.ndindex(*out_shape):
        src = []
        inside = True
        for i, n, (b, _) in zip(index, x.shape, widths):
            k = i - b
            if mode == 'constant' and not 0 <= k < n:
                inside = False
            src.append(_reference_index(k, n, mode) if mode != 'constant' else k)
        out[index] = x[tuple(src)] if inside else value
    return out


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('mode', ['constant', 'edge', 'reflect', 'symmetric', 'wrap'])
@pytest.mark.parametrize('shape,pad_width,widths', [
    ((3, 4), 1, ((1, 1), (1, 1))),
    ((3, 4), (2, 1), ((2, 1), (2, 1))),
    ((2, 3, 4), ((0, 0), (1, 2), (3, 0)), ((0, 0), (1, 2), (3, 0))),
    ((5,), ((2, 4),), ((2, 4),)),
])
def test_pad(shape, pad_width, widths, mode, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.pad(x, pad_width, mode)
    numpy.testing.assert_array_equal(y.array, _reference_pad(x, widths, mode))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.pad(v, pad_width, mode), x, gy,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.pad(v, pad_width, mode), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_pad_constant_values():
    x = numpy.ones((2, 2), 'f')
    y = F.pad(x, 1, 'constant', constant_values=5)
    numpy.testing.assert_array_equal(y.array, _reference_pad(x, ((1, 1), (1, 1)),
                                                             'constant', 5))


def test_pad_invalid():
    with pytest.raises(type_check.InvalidType):
        F.pad(numpy.ones((2, 2), 'i'), 1, 'constant')
    with pytest.raises(ValueError):
        F.pad(numpy.ones((2, 2), 'f'), 1, 'median')
    with pytest.raises(ValueError):
        F.pad(numpy.ones((2, 2), 'f'), -1, 'constant')
    with pytest.raises(ValueError):
        F.pad(numpy.ones((2, 2), 'f'), ((1, 1), (1, 1), (1, 1)), 'constant')

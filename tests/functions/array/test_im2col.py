import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


def _reference(x, ksize, stride, pad, cover_all, dilate):
    n, c, h, w = x.shape
    kh, kw = _pair(ksize)
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    dy, dx = _pair(dilate)
    ext_h, ext_w = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    out_h = (h + 2 * ph - ext_h + (sy - 1 if cover_all else 0)) // sy + 1
    out_w = (w + 2 * pw - ext_w + (sx - 1 if cover_all else 0)) // sx + 1
    y = numpy.zeros((n, c, kh, kw, out_h, out_w), x.dtype)
    for b, ch, i, j, oy, ox in numpy.ndindex(n, c, kh, kw, out_h, out_w):
        iy = oy * sy - ph + i * dy
        ix = ox * sx - pw + j * dx
        if 0 <= iy < h and 0 <= ix < w:
            y[b, ch, i, j, oy, ox] = x[b, ch, iy, ix]
    return y.reshape(n, c * kh * kw, out_h, out_w)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ksize,stride,pad,cover_all,dilate', [
    (3, 1, 1, False, 1), ((2, 3), (2, 1), (0, 1), False, 1), (2, 3, 0, True, 1),
    (2, 1, 1, False, 2), (3, 2, 2, True, (1, 2)), (1, 1, 0, False, 1),
])
def test_im2col(ksize, stride, pad, cover_all, dilate, dtype):
    x = numpy.random.uniform(-1, 1, (2, 2, 5, 4)).astype(dtype)
    y = F.im2col(x, ksize, stride, pad, cover_all, dilate)
    expect = _reference(x, ksize, stride, pad, cover_all, dilate)
    numpy.testing.assert_array_equal(y.array, expect)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    func = lambda v: F.im2col(v, ksize, stride, pad, cover_all, dilate)  # noqa: E731
    gradient_check.check_backward(func, x, gy, dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(func, x, gy, ggx, dtype=numpy.float64, **TOL[dtype])


def test_im2col_invalid():
    with pytest.raises(type_check.InvalidType):
        F.im2col(numpy.ones((2, 5, 4), 'f'), 2)
    with pytest.raises(type_check.InvalidType):
        F.im2col(numpy.ones((1, 2, 5, 4), 'i'), 2)
    with pytest.raises(ValueError):
        F.im2col(numpy.ones((1, 2, 5, 4), 'f'), 0)
    with pytest.raises(ValueError):
        F.im2col(numpy.ones((1, 2, 5, 4), 'f'), 7)

import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


def _source(o, out, size, mode, align_corners):
    if mode == 'nearest':
        return min(int(numpy.floor(o * size / out)), size - 1), None, 0.0
    if align_corners:
        pos = 0.0 if out == 1 else o * (size - 1) / (out - 1)
    else:
        pos = max((o + 0.5) * size / out - 0.5, 0.0)
    lo = int(numpy.floor(pos))
    return lo, min(lo + 1, size - 1), pos - lo


def _reference(x, out_hw, mode, align_corners):
    n, c, h, w = x.shape
    y = numpy.zeros((n, c) + out_hw)
    for oy, ox in numpy.ndindex(*out_hw):
        y0, y1, wy = _source(oy, out_hw[0], h, mode, align_corners)
        x0, x1, wx = _source(ox, out_hw[1], w, mode, align_corners)
        if mode == 'nearest':
            y[:, :, oy, ox] = x[:, :, y0, x0]
            continue
        y[:, :, oy, ox] = ((1 - wy) * (1 - wx) * x[:, :, y0, x0] +
                           (1 - wy) * wx * x[:, :, y0, x1] +
                           wy * (1 - wx) * x[:, :, y1, x0] + wy * wx * x[:, :, y1, x1])
    return y


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('mode,align_corners', [('bilinear', True), ('bilinear', False),
                                                ('nearest', True)])
@pytest.mark.parametrize('in_hw,out_hw', [((3, 4), (5, 7)), ((5, 4), (2, 3)), ((3, 3), (1, 6))])
def test_resize_images(in_hw, out_hw, mode, align_corners, dtype):
    x = numpy.random.uniform(-1, 1, (2, 2) + in_hw).astype(dtype)
    y = F.resize_images(x, out_hw, mode=mode, align_corners=align_corners)
    assert y.shape == (2, 2) + out_hw and y.dtype == dtype
    numpy.testing.assert_allclose(y.array, _reference(x.astype(numpy.float64), out_hw, mode,
                                                      align_corners), **TOL[dtype])
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    func = lambda v: F.resize_images(v, out_hw, mode=mode,  # noqa: E731
                                     align_corners=align_corners)
    gradient_check.check_backward(func, x, gy, dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(func, x, gy, ggx, dtype=numpy.float64, **TOL[dtype])


def test_resize_images_identity_size():
    x = numpy.random.uniform(-1, 1, (1, 1, 3, 4)).astype('f')
    numpy.testing.assert_allclose(F.resize_images(x, (3, 4)).array, x, rtol=1e-6)


def test_resize_images_invalid():
    with pytest.raises(type_check.InvalidType):
        F.resize_images(numpy.ones((2, 3, 4), 'f'), (2, 2))
    with pytest.raises(type_check.InvalidType):
        F.resize_images(numpy.ones((1, 2, 3, 4), 'i'), (2, 2))
    with pytest.raises(ValueError):
        F.resize_images(numpy.ones((1, 2, 3, 4), 'f'), (2, 2), mode='bicubic')
    with pytest.raises(ValueError):
        F.resize_images(numpy.ones((1, 2, 3, 4), 'f'), (0, 2))

"""Tests of dchain.utils.conv / conv_nd: output sizes and im2col/col2im."""
import itertools

import numpy
import pytest

from dchain.utils import conv
from dchain.utils import conv_nd


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


@pytest.mark.parametrize('size,k,s,p,d,expected,expected_cover_all', [
    (7, 3, 1, 0, 1, 5, 5),
    (7, 3, 2, 1, 1, 4, 4),
    (8, 3, 2, 0, 1, 3, 4),   # cover_all adds the window reaching past the edge
    (5, 2, 2, 0, 1, 2, 3),
    (9, 3, 1, 2, 2, 9, 9),   # dilated kernel spans 5
    (6, 2, 3, 0, 2, 2, 2),
])
def test_conv_outsize(size, k, s, p, d, expected, expected_cover_all):
    assert conv.get_conv_outsize(size, k, s, p, d=d) == expected
    assert conv.get_conv_outsize(size, k, s, p, cover_all=True, d=d) == expected_cover_all
    # Brute force: count window starts that fit (or that still cover a pixel).
    dk = (k - 1) * d + 1
    starts = [o * s - p for o in range(size + 2 * p + s)]
    fitting = [st for st in starts if st + dk <= size + p]
    assert len(fitting) == expected
    covering = [o for o in range(size + 2 * p + s)
                if o == 0 or (o - 1) * s - p + dk < size + p]
    assert len(covering) == expected_cover_all


@pytest.mark.parametrize('size,k,s,p,d', [(4, 3, 1, 0, 1), (4, 3, 2, 1, 1), (3, 2, 2, 0, 2)])
def test_deconv_outsize_inverts_conv_outsize(size, k, s, p, d):
    out = conv.get_deconv_outsize(size, k, s, p, d=d)
    assert conv.get_conv_outsize(out, k, s, p, d=d) == size
    out_ca = conv.get_deconv_outsize(size, k, s, p, cover_all=True, d=d)
    assert conv.get_conv_outsize(out_ca, k, s, p, cover_all=True, d=d) == size


@pytest.mark.parametrize('kh,kw,sy,sx,ph,pw,dy,dx,cover_all', [
    (3, 3, 1, 1, 1, 1, 1, 1, False),
    (2, 3, 2, 1, 0, 1, 1, 2, False),
    (3, 2, 2, 3, 1, 0, 1, 1, True),
])
def test_im2col_and_col2im(kh, kw, sy, sx, ph, pw, dy, dx, cover_all):
    rng = numpy.random.default_rng(0)
    img = rng.standard_normal((2, 3, 7, 6))
    col = conv.im2col_cpu(img, kh, kw, sy, sx, ph, pw, pval=-1.0, cover_all=cover_all,
                          dy=dy, dx=dx)
    oh = conv.get_conv_outsize(7, kh, sy, ph, cover_all, dy)
    ow = conv.get_conv_outsize(6, kw, sx, pw, cover_all, dx)
    assert col.shape == (2, 3, kh, kw, oh, ow)
    for a, b, i, j in itertools.product(range(kh), range(kw), range(oh), range(ow)):
        r, c = i * sy + a * dy - ph, j * sx + b * dx - pw
        if 0 <= r < 7 and 0 <= c < 6:
            numpy.testing.assert_array_equal(col[:, :, a, b, i, j], img[:, :, r, c])
        else:
            numpy.testing.assert_array_equal(col[:, :, a, b, i, j], -1.0)
    # col2im is the adjoint of im2col (with zero padding).
    col0 = conv.im2col_cpu(img, kh, kw, sy, sx, ph, pw, cover_all=cover_all, dy=dy, dx=dx)
    g = rng.standard_normal(col0.shape)
    back = conv.col2im_cpu(g, sy, sx, ph, pw, 7, 6, dy, dx)
    assert back.shape == img.shape
    numpy.testing.assert_allclose((col0 * g).sum(), (img * back).sum(), rtol=1e-12)


def test_im2col_nd_matches_2d():
    img = numpy.random.default_rng(1).standard_normal((1, 2, 5, 4))
    a = conv.im2col_cpu(img, 2, 3, 1, 2, 1, 0)
    b = conv_nd.im2col_nd_cpu(img, (2, 3), (1, 2), (1, 0))
    numpy.testing.assert_array_equal(a, b)
    back = conv_nd.col2im_nd_cpu(b, (1, 2), (1, 0), (5, 4))
    numpy.testing.assert_array_equal(back, conv.col2im_cpu(a, 1, 2, 1, 0, 5, 4))


def test_as_tuple_validation():
    assert conv_nd.as_tuple(2, 3, 'ksize') == (2, 2, 2)
    assert conv_nd.as_tuple((1, 2), 2, 'stride') == (1, 2)
    with pytest.raises(ValueError):
        conv_nd.as_tuple((1, 2), 3, 'stride')
    with pytest.raises(ValueError):
        conv_nd.as_tuple(0, 2, 'ksize')
    with pytest.raises(ValueError):
        conv_nd.as_tuple(-1, 2, 'pad', 0)
    with pytest.raises(TypeError):
        conv_nd.as_tuple('a', 2, 'pad', 0)


def test_workspace_is_reused_and_grows():
    conv_nd.release_workspace()
    a = conv_nd.workspace((4, 5), numpy.float32)
    b = conv_nd.workspace((2, 3), numpy.float64)
    assert a.shape == (4, 5) and b.shape == (2, 3) and b.dtype == numpy.float64
    assert numpy.shares_memory(a, b)  # one buffer, handed out again
    c = conv_nd.workspace((100,), numpy.float64)
    assert c.nbytes == 800 and not numpy.shares_memory(a, c)  # grown: a new buffer
    conv_nd.release_workspace()


def test_outputs_do_not_alias_the_workspace():
    import dchain.functions as F
    rng = numpy.random.default_rng(5)
    x1, x2 = rng.standard_normal((2, 2, 3, 5, 5))
    W = rng.standard_normal((4, 3, 3, 3))
    y1 = F.convolution_2d(x1, W, pad=1).array
    kept = y1.copy()
    F.deconvolution_2d(F.convolution_2d(x2, W, pad=1), W, pad=1)
    numpy.testing.assert_array_equal(y1, kept)

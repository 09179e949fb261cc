import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}
DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,new,out', [((2, 3, 4), (6, 4), (6, 4)),
                                           ((2, 3, 4), (-1, 2), (12, 2)),
                                           ((2, 3), (3, 1, 2), (3, 1, 2)),
                                           ((6,), 6, (6,))])
def test_reshape(shape, new, out, dtype):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.reshape(x, new)
    assert y.shape == out
    numpy.testing.assert_array_equal(y.array.ravel().tolist(), x.ravel().tolist())
    gy = numpy.random.uniform(-1, 1, out).astype(dtype)
    gradient_check.check_backward(lambda v: F.reshape(v, new), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.reshape(v, new), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_reshape_invalid():
    with pytest.raises(type_check.InvalidType):
        F.reshape(numpy.ones((2, 3), 'f'), (4, 2))
    with pytest.raises(type_check.InvalidType):
        F.reshape(numpy.ones((2, 3), 'f'), (-1, 4))
    with pytest.raises(ValueError):
        F.reshape(numpy.ones((2, 3), 'f'), (-1, -1))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axes', [None, (1, 0, 2), (2, 0, 1), (-1, 0, 1)])
def test_transpose(axes, dtype):
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = F.transpose(x, axes)
    perm = [2, 1, 0] if axes is None else [a % 3 for a in axes]
    assert y.shape == tuple(x.shape[p] for p in perm)
    for index in numpy.ndindex(*y.shape):
        src = [0] * 3
        for k, p in enumerate(perm):
            src[p] = index[k]
        assert y.array[index] == x[tuple(src)]
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(lambda v: F.transpose(v, axes), x, gy, dtype=numpy.float64,
                                  **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.transpose(v, axes), x, gy, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_transpose_invalid():
    with pytest.raises(type_check.InvalidType):
        F.transpose(numpy.ones((2, 3), 'f'), (0, 1, 2))
    with pytest.raises(ValueError):
        F.transpose(numpy.ones((2, 3), 'f'), (0, 0))


@pytest.mark.parametrize('dtype', DTYPES)
def test_identity(dtype):
    xs = (numpy.random.uniform(-1, 1, (2, 3)).astype(dtype),
          numpy.random.uniform(-1, 1, (4,)).astype(dtype))
    ys = F.identity(*xs)
    for x, y in zip(xs, ys):
        numpy.testing.assert_array_equal(y.array, x)
    gys = tuple(numpy.random.uniform(-1, 1, x.shape).astype(dtype) for x in xs)
    gradient_check.check_backward(F.identity, xs, gys, dtype=numpy.float64, **TOL[dtype])
    assert isinstance(F.identity(xs[0]), dchain.Variable)


def test_identity_invalid():
    # Every input must be an array or a Variable; the error names which one is not.
    with pytest.raises(TypeError, match=r'input 1 of Identity must be a Variable or an '
                                        r'array .*not list'):
        F.identity(numpy.ones(2, 'f'), [1.0])
    with pytest.raises(TypeError, match=r'input 0 of Identity .*not float'):
        F.identity(1.0)

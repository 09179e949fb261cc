"""F.einsum: many subscript forms against numpy.einsum, gradients, malformed subscripts."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

CASES = [
    ('ij,jk->ik', [(3, 4), (4, 5)]),
    ('ij,jk', [(3, 4), (4, 5)]),
    ('ii->i', [(3, 3)]),
    ('ii', [(3, 3)]),
    ('ij->', [(2, 3)]),
    ('ij->j', [(2, 3)]),
    ('ji', [(2, 3)]),
    ('i,i', [(3,), (3,)]),
    ('i,j->ij', [(3,), (4,)]),
    ('bij,bjk,bkl->bil', [(2, 2, 3), (2, 3, 2), (2, 2, 3)]),
    ('...ij,...jk->...ik', [(2, 3, 4), (2, 4, 5)]),
    ('...i,i', [(2, 3), (3,)]),
    ('iij->ij', [(3, 3, 2)]),
    ('...ij,...jk', [(1, 3, 4), (2, 4, 5)]),
    ('i...->...', [(2, 3, 4)]),
    ('ij, jk -> ki', [(2, 3), (3, 2)]),
]


@pytest.mark.parametrize('subscripts,shapes', CASES)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_einsum(subscripts, shapes, dtype):
    xs = [numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes]
    y = F.einsum(subscripts, *xs)
    expect = numpy.einsum(subscripts, *[x.astype(numpy.float64) for x in xs])
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-5, atol=1e-6)
    shape = y.shape or (1,)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)

    def f(*xs):
        return F.reshape(F.einsum(subscripts, *xs), shape)
    tol = {'atol': 1e-4, 'rtol': 1e-3} if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, tuple(xs), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        ggs = tuple(numpy.random.uniform(-1, 1, s) for s in shapes)
        gradient_check.check_double_backward(f, tuple(xs), gy, ggs, dtype=numpy.float64)


def test_float16():
    a = numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float16)
    b = numpy.random.uniform(-1, 1, (4, 2)).astype(numpy.float16)
    y = F.einsum('ij,jk->ik', a, b)
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(y.array, a.astype(numpy.float64) @ b, rtol=1e-2, atol=1e-2)
    gradient_check.check_backward(lambda a, b: F.einsum('ij,jk->ik', a, b), (a, b),
                                  numpy.ones((3, 2), numpy.float16), dtype=numpy.float64,
                                  atol=5e-2, rtol=5e-2)


def test_bad_inputs():
    a = numpy.ones((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.einsum('ij,jk->ik', a, numpy.ones((4, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.einsum('ijk->i', a)
    with pytest.raises(type_check.InvalidType):
        F.einsum('ij,jk->ik', a, numpy.ones((3, 2), numpy.float64))
    with pytest.raises(ValueError):
        F.einsum('ij,jk->ik', a)
    with pytest.raises(ValueError):
        F.einsum('ij->ii', a)
    with pytest.raises(ValueError):
        F.einsum('ij->k', a)
    with pytest.raises(ValueError):
        F.einsum('i1->i', a)
    with pytest.raises(TypeError):
        F.einsum(a, a)

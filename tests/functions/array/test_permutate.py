import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('axis', [0, 1, -1])
@pytest.mark.parametrize('inv', [False, True])
def test_permutate(axis, inv, dtype):
    x = numpy.random.uniform(-1, 1, (4, 4, 2)).astype(dtype)
    n = x.shape[axis]
    indices = numpy.random.permutation(n).astype(numpy.int32)
    y = F.permutate(x, indices, axis=axis, inv=inv)
    moved_x = numpy.moveaxis(x, axis, 0)
    moved_y = numpy.moveaxis(y.array, axis, 0)
    for i in range(n):
        if inv:
            numpy.testing.assert_array_equal(moved_y[indices[i]], moved_x[i])
        else:
            numpy.testing.assert_array_equal(moved_y[i], moved_x[indices[i]])
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    func = lambda v, ind: F.permutate(v, ind, axis=axis, inv=inv)  # noqa: E731
    gradient_check.check_backward(func, (x, indices), gy, dtype=numpy.float64, **TOL[dtype])
    ggx = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    gradient_check.check_double_backward(func, (x, indices), gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_permutate_indices_variable():
    x = numpy.arange(3, dtype='f')
    ind = dchain.Variable(numpy.array([2, 0, 1], 'i'), requires_grad=False)
    numpy.testing.assert_array_equal(F.permutate(x, ind).array, [2, 0, 1])


def test_permutate_invalid():
    x = numpy.ones((3, 2), 'f')
    with pytest.raises(type_check.InvalidType):
        F.permutate(x, numpy.array([0, 1], 'i'))          # wrong length
    with pytest.raises(type_check.InvalidType):
        F.permutate(x, numpy.array([0., 1., 2.], 'f'))    # not integers
    with pytest.raises(ValueError):
        F.permutate(x, numpy.array([0, 0, 1], 'i'))       # not a permutation

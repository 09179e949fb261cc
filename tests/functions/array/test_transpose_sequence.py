import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('lengths,tail', [([4, 2, 2, 1], (3,)), ([3, 3], ()), ([2, 1, 0], (2,))])
def test_transpose_sequence(lengths, tail, dtype):
    xs = tuple(numpy.random.uniform(-1, 1, (n,) + tail).astype(dtype) for n in lengths)
    ys = F.transpose_sequence(xs)
    assert len(ys) == lengths[0]
    for t, y in enumerate(ys):
        rows = [x[t] for x in xs if len(x) > t]
        numpy.testing.assert_array_equal(y.array, numpy.array(rows, dtype))
    back = F.transpose_sequence(ys)
    for x, b in zip(xs, back):
        numpy.testing.assert_array_equal(b.array, x)
    gys = tuple(numpy.random.uniform(-1, 1, y.shape).astype(dtype) for y in ys)
    gradient_check.check_backward(lambda *v: F.transpose_sequence(v), xs, gys,
                                  dtype=numpy.float64, **TOL[dtype])
    ggx = tuple(numpy.random.uniform(-1, 1, x.shape).astype(dtype) for x in xs)
    gradient_check.check_double_backward(lambda *v: F.transpose_sequence(v), xs, gys, ggx,
                                         dtype=numpy.float64, **TOL[dtype])


def test_transpose_sequence_partial_grads():
    xs = (numpy.ones((2, 2), 'f'), numpy.ones((1, 2), 'f'))
    gradient_check.check_backward(lambda *v: F.transpose_sequence(v), xs,
                                  (None, numpy.ones((1, 2), 'f')), dtype=numpy.float64)


def test_transpose_sequence_empty():
    assert F.transpose_sequence([]) == ()


def test_transpose_sequence_invalid():
    with pytest.raises(type_check.InvalidType):
        F.transpose_sequence([numpy.ones(1, 'f'), numpy.ones(2, 'f')])   # not sorted
    with pytest.raises(type_check.InvalidType):
        F.transpose_sequence([numpy.ones((2, 3), 'f'), numpy.ones((2, 2), 'f')])

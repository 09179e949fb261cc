import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-7, rtol=1e-6)}


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('lengths,length,tail', [([3, 1, 2], None, ()), ([2, 2], 4, (3,)),
                                                 ([0, 2], None, (2,)), ([1], 1, ())])
def test_pad_sequence(lengths, length, tail, dtype):
    xs = tuple(numpy.random.uniform(-1, 1, (n,) + tail).astype(dtype) for n in lengths)
    y = F.pad_sequence(xs, length, padding=-5)
    L = max(lengths) if length is None else length
    assert y.shape == (len(xs), L) + tail
    for i, x in enumerate(xs):
        for t in range(L):
            if t < len(x):
                numpy.testing.assert_array_equal(y.array[i, t], x[t])
            else:
                assert (y.array[i, t] == -5).all()
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    func = lambda *v: F.pad_sequence(v, length, -5)  # noqa: E731
    gradient_check.check_backward(func, xs, gy, dtype=numpy.float64, **TOL[dtype])
    ggx = tuple(numpy.random.uniform(-1, 1, x.shape).astype(dtype) for x in xs)
    gradient_check.check_double_backward(func, xs, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_pad_sequence_default_padding_zero():
    y = F.pad_sequence([numpy.ones(1, 'f'), numpy.ones(2, 'f')])
    numpy.testing.assert_array_equal(y.array, [[1, 0], [1, 1]])


def test_pad_sequence_invalid():
    with pytest.raises(type_check.InvalidType):
        F.pad_sequence([numpy.ones((2, 3), 'f'), numpy.ones((2, 2), 'f')])
    with pytest.raises(type_check.InvalidType):
        F.pad_sequence([numpy.ones(3, 'f'), numpy.ones(2, 'd')])
    with pytest.raises(type_check.InvalidType):
        F.pad_sequence([numpy.ones(3, 'f')], length=2)

"""F.binary_accuracy: value against numpy, ignored labels, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(8,), (4, 3)])
def test_forward(dtype, shape):
    rng = numpy.random.RandomState(0)
    x = rng.randn(*shape).astype(dtype)
    t = rng.randint(0, 2, shape).astype(numpy.int32)
    t.flat[::3] = -1
    mask = t != -1
    expected = ((x >= 0) == t)[mask].mean()
    assert 0 < expected < 1
    y = F.binary_accuracy(x, t)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-3)


def test_exact_and_all_ignored():
    x = numpy.array([1.0, -1.0, 0.0, -2.0], numpy.float32)
    assert float(F.binary_accuracy(x, numpy.array([1, 1, 1, -1], numpy.int32)).array) == \
        pytest.approx(2 / 3)
    assert float(F.binary_accuracy(x, numpy.full(4, -1, numpy.int32)).array) == 0


def test_invalid_type():
    with pytest.raises(type_check.InvalidType):
        F.binary_accuracy(numpy.zeros(3, numpy.float32), numpy.zeros(4, numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.binary_accuracy(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float32))

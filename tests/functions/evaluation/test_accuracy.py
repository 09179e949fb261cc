"""F.accuracy: value against numpy, ignore_label, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain.utils import type_check


def _reference(x, t, ignore_label=None):
    pred = x.argmax(axis=1)
    if ignore_label is None:
        return (pred == t).mean()
    mask = t != ignore_label
    return (pred[mask] == t[mask]).mean() if mask.any() else 0.0


@pytest.mark.parametrize('shape', [(10, 3), (4, 3, 5), (2, 4, 3, 3)])
@pytest.mark.parametrize('ignore_label', [None, -1])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(shape, ignore_label, dtype):
    rng = numpy.random.RandomState(0)
    x = rng.randn(*shape).astype(dtype)
    t = rng.randint(0, shape[1], shape[:1] + shape[2:]).astype(numpy.int32)
    if ignore_label is not None:
        t.flat[::3] = ignore_label
    # Make some predictions right so the value is neither 0 nor 1.
    t.flat[1::2] = x.argmax(axis=1).flat[1::2]
    y = F.accuracy(x, t, ignore_label=ignore_label)
    assert y.dtype == dtype and y.shape == ()
    expected = _reference(x, t, ignore_label)
    assert 0 < expected < 1
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-3)


def test_exact_values():
    x = numpy.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], numpy.float32)
    t = numpy.array([1, 1, -1, 0], numpy.int32)
    assert float(F.accuracy(x, t).array) == 0.5
    numpy.testing.assert_allclose(F.accuracy(x, t, ignore_label=-1).array, 2 / 3)


def test_all_ignored_is_zero():
    x = numpy.zeros((3, 2), numpy.float32)
    t = numpy.full(3, -1, numpy.int32)
    assert float(F.accuracy(x, t, ignore_label=-1).array) == 0.0


@pytest.mark.parametrize('x,t', [
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(4, numpy.int32)),
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros((3, 2), numpy.int32)),
    (numpy.zeros((3, 2), numpy.float32), numpy.zeros(3, numpy.float32)),
    (numpy.zeros((3, 2, 4), numpy.float32), numpy.zeros((3, 5), numpy.int32)),
])
def test_invalid_type(x, t):
    with pytest.raises(type_check.InvalidType):
        F.accuracy(x, t)

"""F.r2_score: value against numpy, options, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain.utils import type_check


def _reference(pred, true):
    ss_res = ((pred - true) ** 2).sum(0)
    ss_tot = ((true - true.mean(0)) ** 2).sum(0)
    return numpy.where(ss_tot != 0, 1 - ss_res / numpy.where(ss_tot != 0, ss_tot, 1), 0)


@pytest.mark.parametrize('shape', [(10,), (10, 3), (6, 2, 2)])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_forward(shape, dtype):
    rng = numpy.random.RandomState(0)
    true = rng.randn(*shape)
    pred = true + 0.3 * rng.randn(*shape)
    raw = F.r2_score(pred.astype(dtype), true.astype(dtype), multioutput='raw_values')
    avg = F.r2_score(pred.astype(dtype), true.astype(dtype))
    expected = _reference(pred, true)
    assert raw.shape == shape[1:] and avg.shape == () and avg.dtype == dtype
    numpy.testing.assert_allclose(raw.array, expected, rtol=1e-4)
    numpy.testing.assert_allclose(avg.array, expected.mean(), rtol=1e-4)


def test_constant_target_scores_zero():
    true = numpy.array([[1.0, 2.0], [1.0, 3.0]])
    pred = numpy.array([[1.0, 2.0], [1.0, 3.0]])
    numpy.testing.assert_array_equal(F.r2_score(pred, true, multioutput='raw_values').array,
                                     [0.0, 1.0])


def test_invalid():
    with pytest.raises(type_check.InvalidType):
        F.r2_score(numpy.zeros(3, numpy.float32), numpy.zeros(4, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.r2_score(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float64))
    with pytest.raises(NotImplementedError):
        F.r2_score(numpy.zeros(3), numpy.zeros(3), sample_weight=numpy.ones(3))
    with pytest.raises(ValueError):
        F.r2_score(numpy.zeros(3), numpy.zeros(3), multioutput='variance_weighted')

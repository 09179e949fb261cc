"""WalkerAlias: sampled frequencies match the weights; shapes, dtype, bad weights."""
import numpy
import pytest

from dchain.utils.walker_alias import WalkerAlias


@pytest.mark.parametrize('probs', [[1.0], [0.5, 0.5], [5, 0, 1, 3, 1], [1e-3, 1, 100, 0.2]])
def test_frequencies(probs):
    numpy.random.seed(0)
    sampler = WalkerAlias(probs)
    draws = sampler.sample((40000,))
    assert draws.dtype == numpy.int32
    p = numpy.asarray(probs, numpy.float64)
    freq = numpy.bincount(draws, minlength=len(p)) / draws.size
    numpy.testing.assert_allclose(freq, p / p.sum(), atol=0.01)
    assert numpy.all(freq[p == 0] == 0)


def test_table_is_exact():
    probs = numpy.array([0.1, 0.2, 0.3, 0.4])
    sampler = WalkerAlias(probs)
    n = len(probs)
    mass = numpy.zeros(n)
    for slot in range(n):
        own, alias = sampler.values[slot]
        mass[own] += sampler.threshold[slot] / n
        mass[alias] += (1 - sampler.threshold[slot]) / n
    numpy.testing.assert_allclose(mass, probs, rtol=1e-12)


def test_shape():
    assert WalkerAlias([1, 2, 3]).sample((2, 5)).shape == (2, 5)


@pytest.mark.parametrize('probs', [[], [0, 0], [1, -1], [1, numpy.nan]])
def test_bad_weights(probs):
    with pytest.raises(ValueError):
        WalkerAlias(probs)

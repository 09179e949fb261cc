"""L.NegativeSampling: parameters, sampling distribution, loss equal to F.negative_sampling."""
import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L


def test_parameters():
    link = L.NegativeSampling(3, [1, 2, 3, 4], 2)
    assert link.W.shape == (4, 3) and link.W.dtype == numpy.float32
    assert numpy.all(link.W.array == 0)
    assert L.NegativeSampling(3, [1, 2], 2, dtype=numpy.float64).W.dtype == numpy.float64
    assert [name for name, _ in link.namedparams()] == ['/W']


def test_sampler_follows_counts_to_the_power():
    counts = [10, 0, 40, 5]
    link = L.NegativeSampling(2, counts, 3, power=0.5)
    draws = link.sampler.sample((20000,))
    expected = numpy.power(counts, 0.5)
    expected /= expected.sum()
    freq = numpy.bincount(draws, minlength=4) / draws.size
    numpy.testing.assert_allclose(freq, expected, atol=0.02)
    assert freq[1] == 0


@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_loss_matches_function(reduce):
    rng = numpy.random.RandomState(0)
    link = L.NegativeSampling(3, [3, 1, 4, 1, 5], 2)
    link.W.array[...] = rng.randn(5, 3)
    x = rng.randn(4, 3).astype(numpy.float32)
    t = numpy.array([0, 2, -1, 4], numpy.int32)
    loss, samples = link(x, t, reduce=reduce, return_samples=True)
    assert samples.shape == (4, 3)
    expected = F.negative_sampling(x, t, link.W, lambda shape: samples[:, 1:], 2, reduce=reduce)
    numpy.testing.assert_allclose(loss.array, expected.array, rtol=1e-6)


def test_training_step_moves_w():
    rng = numpy.random.RandomState(1)
    link = L.NegativeSampling(3, [1, 1, 1, 1], 2)
    x = dchain.Variable(rng.randn(4, 3).astype(numpy.float32))
    link.cleargrads()
    link(x, numpy.array([0, 1, 2, 3], numpy.int32)).backward()
    assert numpy.abs(link.W.grad).sum() > 0
    assert numpy.abs(x.grad).sum() == 0          # W is zero, so x gets no signal yet

"""L.BlackOut: parameters, loss equal to F.black_out with fixed samples, sampling."""
import numpy

import dchain
import dchain.functions as F
import dchain.links as L


def test_parameters_and_sample_data():
    rng = numpy.random.RandomState(0)
    link = L.BlackOut(3, [2, 3, 5, 1, 1], 2)
    assert link.W.shape == (5, 3) and numpy.all(numpy.isfinite(link.W.array))
    x = rng.randn(4, 3).astype(numpy.float32)
    t = numpy.array([0, 1, 2, 4], numpy.int32)
    link.sample_data = rng.randint(0, 5, (4, 2)).astype(numpy.int32)
    loss = link(x, t)
    numpy.testing.assert_allclose(loss.array,
                                  F.black_out(x, t, link.W, link.sample_data).array, rtol=1e-6)


def test_sampled_loss_is_finite_and_trains():
    rng = numpy.random.RandomState(1)
    link = L.BlackOut(3, [2, 3, 5, 1, 1], 3)
    x = dchain.Variable(rng.randn(4, 3).astype(numpy.float32))
    link.cleargrads()
    loss = link(x, numpy.array([0, 1, 2, 4], numpy.int32))
    assert loss.shape == () and numpy.isfinite(loss.array)
    loss.backward()
    assert numpy.abs(link.W.grad).sum() > 0 and numpy.abs(x.grad).sum() > 0

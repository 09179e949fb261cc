"""Tests of L.StatelessGRU and L.StatefulGRU (L.GRU)."""
import numpy
import pytest

import dchain.links as L
from dchain import gradient_check


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _lin(link, v):
    return v.dot(link.W.array.T) + link.b.array


def _gru_step(g, h, x):
    r = _sigmoid(_lin(g.W_r, x) + _lin(g.U_r, h))
    z = _sigmoid(_lin(g.W_z, x) + _lin(g.U_z, h))
    h_bar = numpy.tanh(_lin(g.W, x) + _lin(g.U, r * h))
    return z * h_bar + (1 - z) * h


def _randomize_biases(link, rng):
    for name in ('W_r', 'W_z', 'W', 'U_r', 'U_z', 'U'):
        b = getattr(link, name).b
        b.array[...] = rng.uniform(-.5, .5, b.shape)


def test_stateless_forward_and_backward():
    gru = L.StatelessGRU(3, 4)
    rng = numpy.random.RandomState(0)
    _randomize_biases(gru, rng)
    h = rng.randn(2, 4).astype(numpy.float32)
    x = rng.randn(2, 3).astype(numpy.float32)
    y = gru(h, x)
    numpy.testing.assert_allclose(y.array, _gru_step(gru, h, x), rtol=1e-5, atol=1e-6)
    params = tuple(p for p in gru.params())
    gradient_check.check_backward(gru, (h, x), rng.randn(2, 4), params=params,
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_stateful_sequence():
    gru = L.GRU(None, 4)
    rng = numpy.random.RandomState(1)
    xs = [rng.randn(2, 3).astype(numpy.float32) for _ in range(3)]
    ys = [gru(x) for x in xs]
    _randomize_biases(gru, rng)  # biases are 0 by default; check the first step's formula
    gru.reset_state()
    ys = [gru(x) for x in xs]
    h = numpy.zeros((2, 4), numpy.float32)
    z = _sigmoid(_lin(gru.W_z, xs[0]))
    h = z * numpy.tanh(_lin(gru.W, xs[0]))
    numpy.testing.assert_allclose(ys[0].array, h, rtol=1e-5, atol=1e-6)
    for x, y in zip(xs[1:], ys[1:]):
        h = _gru_step(gru, h, x)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-5)
    assert gru.h is ys[-1]
    gru.reset_state()
    assert gru.h is None


def test_stateful_set_state_and_gradient():
    gru = L.StatefulGRU(3, 4)
    assert issubclass(L.GRU, L.StatefulGRU)
    with pytest.raises(ValueError):
        L.GRU(3, 4)(numpy.zeros((2, 4), numpy.float32), numpy.zeros((2, 3), numpy.float32))
    rng = numpy.random.RandomState(2)
    h0 = rng.randn(2, 4).astype(numpy.float32)
    x = rng.randn(2, 3).astype(numpy.float32)
    gru.set_state(h0)
    y = gru(x)
    numpy.testing.assert_allclose(y.array, _gru_step(gru, h0, x), rtol=1e-5, atol=1e-6)

    def f(x1, x2):
        gru.reset_state()
        gru(x1)
        return gru(x2)
    gradient_check.check_backward(f, (x, x[::-1].copy()), rng.randn(2, 4),
                                  params=tuple(gru.params()), dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)


def test_bad_input():
    gru = L.StatelessGRU(3, 4)
    from dchain.utils import type_check
    with pytest.raises(type_check.InvalidType):
        gru(numpy.zeros((2, 4), numpy.float32), numpy.zeros((2, 5), numpy.float32))

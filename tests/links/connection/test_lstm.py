"""Tests of L.LSTM and L.StatelessLSTM."""
import numpy
import pytest

import dchain
import dchain.links as L
from dchain import gradient_check


def _sigmoid(x):
    return 1 / (1 + numpy.exp(-x))


def _lstm_step(W_up, b_up, W_lat, x, c, h):
    z = x.dot(W_up.T) + b_up
    if h is not None:
        z += h.dot(W_lat.T)
    z = z.reshape(len(x), -1, 4)
    a, i, f, o = (z[:, :, k] for k in range(4))
    c_new = numpy.tanh(a) * _sigmoid(i) + _sigmoid(f) * c
    return c_new, _sigmoid(o) * numpy.tanh(c_new)


def _params(link):
    return link.upward.W.array, link.upward.b.array, link.lateral.W.array


def test_initial_parameters():
    lstm = L.LSTM(3, 4, forget_bias_init=2.0, bias_init=0.5)
    assert lstm.upward.W.shape == (16, 3) and lstm.lateral.W.shape == (16, 4)
    b = lstm.upward.b.array.reshape(4, 4)
    numpy.testing.assert_array_equal(b[:, 2], numpy.full(4, 2.0))
    numpy.testing.assert_array_equal(b[:, [0, 1, 3]], numpy.full((4, 3), 0.5))
    assert numpy.all(numpy.isfinite(lstm.lateral.W.array)) and lstm.lateral.W.array.std() > 0
    assert lstm.lateral.b is None


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_stateful_sequence_with_shrinking_batch(dtype):
    with dchain.using_config('dtype', dtype):
        lstm = L.LSTM(None, 3)
    rng = numpy.random.RandomState(0)
    xs = [rng.randn(b, 2).astype(dtype) for b in (4, 4, 2)]
    c = numpy.zeros((4, 3), dtype)
    h = None
    for x in xs:
        with dchain.using_config('dtype', dtype):  # lazy init happens at the first call
            y = lstm(x)
        W_up, b_up, W_lat = _params(lstm)
        batch = len(x)
        c_new, h_new = _lstm_step(W_up, b_up, W_lat, x, c[:batch],
                                  None if h is None else h[:batch])
        c = numpy.concatenate([c_new, c[batch:]])
        h = h_new if h is None else numpy.concatenate([h_new, h[batch:]])
        numpy.testing.assert_allclose(y.array, h_new, rtol=1e-5, atol=1e-6)
    assert lstm.h.shape == (4, 3) and lstm.c.shape == (4, 3)
    numpy.testing.assert_allclose(lstm.h.array, h, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(lstm.c.array, c, rtol=1e-5, atol=1e-6)
    lstm.reset_state()
    assert lstm.c is None and lstm.h is None


def test_growing_batch_is_an_error():
    lstm = L.LSTM(2, 3)
    lstm(numpy.ones((2, 2), numpy.float32))
    with pytest.raises(TypeError):
        lstm(numpy.ones((3, 2), numpy.float32))


def test_stateful_backward_through_time():
    lstm = L.LSTM(2, 3)
    rng = numpy.random.RandomState(1)
    x1, x2 = rng.randn(2, 2).astype(numpy.float32), rng.randn(2, 2).astype(numpy.float32)
    gy = rng.randn(2, 3).astype(numpy.float32)

    def f(x1, x2):
        lstm.reset_state()
        lstm(x1)
        return lstm(x2)
    gradient_check.check_backward(f, (x1, x2), gy, params=(lstm.upward.W, lstm.lateral.W,
                                                           lstm.upward.b),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_set_state():
    lstm = L.LSTM(2, 3)
    rng = numpy.random.RandomState(2)
    c0, h0 = rng.randn(2, 3).astype(numpy.float32), rng.randn(2, 3).astype(numpy.float32)
    x = rng.randn(2, 2).astype(numpy.float32)
    lstm.set_state(c0, h0)
    y = lstm(x)
    _, h_ref = _lstm_step(*_params(lstm), x, c0, h0)
    numpy.testing.assert_allclose(y.array, h_ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_stateless(dtype):
    with dchain.using_config('dtype', dtype):
        lstm = L.StatelessLSTM(2, 3)
    rng = numpy.random.RandomState(3)
    x = rng.randn(4, 2).astype(dtype)
    c0, h0 = rng.randn(4, 3).astype(dtype), rng.randn(4, 3).astype(dtype)
    c, h = lstm(c0, h0, x)
    c_ref, h_ref = _lstm_step(*_params(lstm), x, c0, h0)
    numpy.testing.assert_allclose(c.array, c_ref, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-5, atol=1e-6)
    c, h = lstm(None, None, x)
    c_ref, h_ref = _lstm_step(*_params(lstm), x, numpy.zeros((4, 3), dtype), None)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-5, atol=1e-6)
    gc, gh = rng.randn(4, 3), rng.randn(4, 3)
    gradient_check.check_backward(lambda c, h, x: lstm(c, h, x), (c0, h0, x), (gc, gh),
                                  params=(lstm.upward.W, lstm.lateral.W, lstm.upward.b),
                                  dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)


def test_backward_with_shrinking_batch():
    lstm = L.LSTM(2, 3)
    rng = numpy.random.RandomState(4)
    x1 = rng.randn(3, 2).astype(numpy.float32)
    x2 = rng.randn(2, 2).astype(numpy.float32)
    gh = rng.randn(3, 3).astype(numpy.float32)

    def f(x1, x2):
        lstm.reset_state()
        lstm(x1)
        lstm(x2)
        return lstm.h  # rows 0-1 from step 2, row 2 carried over from step 1
    gradient_check.check_backward(f, (x1, x2), gh, params=(lstm.upward.W, lstm.lateral.W,
                                                           lstm.upward.b),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)

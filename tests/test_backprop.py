"""Gradient destinations: backward() computing a parameter's gradient into a given array."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import _backprop


@pytest.fixture
def layer():
    rng = numpy.random.RandomState(0)
    x = rng.randn(5, 4).astype(numpy.float32)
    W = dchain.Parameter(rng.randn(3, 4).astype(numpy.float32))
    b = dchain.Parameter(rng.randn(3).astype(numpy.float32))
    gy = rng.randn(5, 3).astype(numpy.float32)
    dest = {'W': numpy.full((3, 4), numpy.nan, numpy.float32),
            'b': numpy.full(3, numpy.nan, numpy.float32)}
    _backprop.set_grad_destination(W, dest['W'])
    _backprop.set_grad_destination(b, dest['b'])
    yield x, W, b, gy, dest
    _backprop.set_grad_destination(W, None)
    _backprop.set_grad_destination(b, None)


def _backward(x, W, b, gy, **kwargs):
    y = F.linear(x, W, b)
    y.grad = gy
    y.backward(**kwargs)


def test_linear_computes_parameter_gradients_into_their_destinations(layer):
    x, W, b, gy, dest = layer
    _backward(x, W, b, gy)
    assert W.grad is dest['W'] and b.grad is dest['b']
    numpy.testing.assert_allclose(dest['W'], gy.T @ x, rtol=1e-5)
    numpy.testing.assert_allclose(dest['b'], gy.sum(axis=0), rtol=1e-5)


def test_a_second_backward_accumulates_elsewhere(layer):
    x, W, b, gy, dest = layer
    _backward(x, W, b, gy)
    _backward(x, W, b, gy)
    numpy.testing.assert_allclose(W.grad, 2 * (gy.T @ x), rtol=1e-5)
    numpy.testing.assert_allclose(b.grad, 2 * gy.sum(axis=0), rtol=1e-5)


def test_a_parameter_used_twice_gets_the_sum_of_both_uses():
    rng = numpy.random.RandomState(1)
    x = rng.randn(2, 3).astype(numpy.float64)
    W = dchain.Parameter(rng.randn(3, 3))
    dest = numpy.full((3, 3), numpy.nan)
    _backprop.set_grad_destination(W, dest)
    try:
        F.sum(F.linear(F.linear(x, W), W)).backward()
    finally:
        _backprop.set_grad_destination(W, None)
    # y = (x W^T) W^T; dy/dW for an all-ones upstream gradient, by hand.
    h = x @ W.array.T
    ones = numpy.ones((2, 3))
    expected = ones.T @ h + (ones @ W.array).T @ x
    numpy.testing.assert_allclose(W.grad, expected, rtol=1e-12)


def test_double_backprop_and_grad_leave_destinations_alone(layer):
    x, W, b, gy, dest = layer
    _backward(x, W, b, gy, enable_double_backprop=True)
    assert W.grad is not dest['W'] and numpy.isnan(dest['W']).all()
    numpy.testing.assert_allclose(W.grad, gy.T @ x, rtol=1e-5)
    W.cleargrad()
    y = F.linear(x, W, b)
    gW, = dchain.grad([y], [W], grad_outputs=[gy])
    assert gW.array is not dest['W'] and numpy.isnan(dest['W']).all()
    numpy.testing.assert_allclose(gW.array, gy.T @ x, rtol=1e-5)


def test_destination_removed_is_not_used(layer):
    x, W, b, gy, dest = layer
    _backprop.set_grad_destination(W, None)
    _backward(x, W, b, gy)
    assert W.grad is not dest['W'] and numpy.isnan(dest['W']).all()


@pytest.mark.parametrize('array', [numpy.zeros((4, 3), numpy.float32),
                                   numpy.zeros((3, 4), numpy.float64)])
def test_destination_of_another_shape_or_dtype_is_refused(array):
    W = dchain.Parameter(numpy.zeros((3, 4), numpy.float32))
    with pytest.raises(ValueError, match=r'shape \(3, 4\) and dtype float32'):
        _backprop.set_grad_destination(W, array)

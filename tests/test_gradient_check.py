"""gradient_check itself: it must pass correct gradients and catch wrong ones."""
import numpy
import pytest

import dchain.functions as F
from dchain import FunctionNode, gradient_check


class Square(FunctionNode):
    """x^2 with a configurable (possibly wrong) derivative factor."""

    def __init__(self, factor=2.0, second=2.0):
        self.factor = factor
        self.second = second

    def forward(self, inputs):
        self.retain_inputs((0,))
        return inputs[0] ** 2,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return ScaledIdentity(self.factor, self.second).apply((x,))[0] * grad_outputs[0],


class ScaledIdentity(FunctionNode):
    def __init__(self, factor, second):
        self.factor, self.second = factor, second

    def forward(self, inputs):
        return inputs[0] * self.factor,

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self.second,


def _data():
    rng = numpy.random.RandomState(0)
    return rng.randn(3, 4), rng.randn(3, 4), rng.randn(3, 4)


def test_numerical_grad_matches_analytic():
    x = numpy.random.RandomState(1).randn(4, 3)
    gy = numpy.ones((4, 3))
    gx, = gradient_check.numerical_grad(lambda: (x * x,), (x,), (gy,))
    numpy.testing.assert_allclose(gx, 2 * x, rtol=1e-6)


def test_numerical_grad_detects_nondifferentiable_point():
    x = numpy.array([0.0])
    with pytest.raises(gradient_check.NondifferentiableError):
        gradient_check.numerical_grad(lambda: (numpy.abs(x),), (x,), (numpy.ones(1),),
                                      detect_nondifferentiable=True)


def test_check_backward_passes_correct_and_fails_wrong_gradient():
    x, gy, _ = _data()
    gradient_check.check_backward(lambda v: Square().apply((v,))[0], x, gy)
    with pytest.raises(AssertionError, match='directional derivative'):
        gradient_check.check_backward(lambda v: Square(factor=2.1).apply((v,))[0], x, gy)


def test_check_double_backward_passes_correct_and_fails_wrong_second_derivative():
    x, gy, ggx = _data()
    gradient_check.check_double_backward(lambda v: Square().apply((v,))[0], x, gy, ggx)
    with pytest.raises(AssertionError):
        gradient_check.check_double_backward(
            lambda v: Square(second=1.0).apply((v,))[0], x, gy, ggx)


def test_check_backward_with_params_and_no_grads():
    from dchain import Parameter
    w = Parameter(numpy.random.RandomState(2).randn(4))
    x, gy, _ = _data()
    gradient_check.check_backward(lambda v: v * w, x, gy, params=(w,))
    labels = numpy.array([0, 1, 2])
    gradient_check.check_backward(lambda v, t: F.get_item(v, (numpy.arange(3), t)),
                                  (x, labels), numpy.ones(3))


def test_check_backward_scalar_output_without_y_grad():
    x, _, _ = _data()
    gradient_check.check_backward(lambda v: F.sum(v * v), x, None)
    with pytest.raises(ValueError, match='one scalar'):
        gradient_check.check_backward(lambda v: v * v, x, None)


def test_zero_dimensional_inputs():
    gradient_check.check_backward(lambda v: v * 2, numpy.array(1.5, 'f'), numpy.array(1.0, 'f'),
                                  dtype=numpy.float64)
    gradient_check.check_double_backward(lambda v: v * v, numpy.array(1.5), numpy.array(1.0),
                                         numpy.array(1.0))

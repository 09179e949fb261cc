"""Max pooling of a ReLU's output folds the ReLU's mask into its scatter (see max_pooling_nd).

The fold must be invisible: gradients below the ReLU are those of the unfused pair, and
whoever asks for the gradient of the ReLU's output itself gets the true, unmasked one.
"""
import importlib

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check

pytestmark = pytest.mark.usefixtures('kernels')

relu_module = importlib.import_module('dchain.functions.activation.relu')


def _input(shape=(3, 2, 6, 6), seed=0):
    """Values spaced apart (no ties but exact zeros after the ReLU) and many negative, so
    that whole windows are zero after the ReLU."""
    rng = numpy.random.default_rng(seed)
    size = int(numpy.prod(shape))
    values = (rng.permutation(size) - 0.6 * size) / size * 4
    return values.reshape(shape)


@pytest.fixture
def relu_grad_calls(monkeypatch):
    """Counts the ReLU backward passes that run (the fold should make them unnecessary)."""
    calls = []
    forward = relu_module.ReLUGradFromOutput.forward

    def counted(self, inputs):
        calls.append(inputs[0].shape)
        return forward(self, inputs)
    monkeypatch.setattr(relu_module.ReLUGradFromOutput, 'forward', counted)
    return calls


def _unfused_grad(x, gy, ksize, stride, pad):
    """The gradient w.r.t. x computed step by step from the two functions' definitions."""
    h = numpy.maximum(x, 0)
    hv = dchain.Variable(h)
    y = F.max_pooling_2d(hv, ksize, stride, pad)   # hv is a leaf: nothing to fold into
    y.grad = gy
    y.backward()
    return hv.grad * (h > 0), hv.grad


@pytest.mark.parametrize('ksize,stride,pad', [(2, 2, 0), (3, 2, 1), (3, 1, 1)])
def test_gradient_below_the_relu_is_unchanged(relu_grad_calls, ksize, stride, pad):
    x_data = _input()
    x = dchain.Variable(x_data)
    y = F.max_pooling_2d(F.relu(x), ksize, stride, pad)
    gy = numpy.random.default_rng(1).standard_normal(y.shape)
    y.grad = gy
    y.backward()
    assert relu_grad_calls == []  # folded: the ReLU's own pass did not run
    expected, _ = _unfused_grad(x_data, gy, ksize, stride, pad)
    numpy.testing.assert_array_equal(x.grad, expected)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_numerical_gradient(dtype):
    x_data = _input().astype(dtype)
    gy = numpy.random.default_rng(2).standard_normal((3, 2, 3, 3)).astype(dtype)
    gradient_check.check_backward(lambda x: F.max_pooling_2d(F.relu(x), 2), x_data, gy,
                                  eps=1e-3, atol=1e-3, rtol=1e-3)


def test_retained_relu_output_gradient_is_unmasked(relu_grad_calls):
    x_data = _input()
    x = dchain.Variable(x_data)
    h = F.relu(x)
    y = F.max_pooling_2d(h, 2)
    gy = numpy.random.default_rng(3).standard_normal(y.shape)
    y.grad = gy
    y.backward(retain_grad=True)
    expected_x, expected_h = _unfused_grad(x_data, gy, 2, 2, 0)
    # Some windows are all zero after the ReLU: their argmax still receives the gradient.
    assert ((expected_h != 0) & (numpy.maximum(x_data, 0) == 0)).any()
    numpy.testing.assert_array_equal(h.grad, expected_h)
    numpy.testing.assert_array_equal(x.grad, expected_x)
    assert relu_grad_calls  # not folded


def test_grad_with_respect_to_the_relu_output():
    x_data = _input()
    x = dchain.Variable(x_data)
    h = F.relu(x)
    y = F.max_pooling_2d(h, 2)
    gy = numpy.random.default_rng(4).standard_normal(y.shape)
    gh, gx = dchain.grad([y], [h, x], grad_outputs=[gy])
    expected_x, expected_h = _unfused_grad(x_data, gy, 2, 2, 0)
    numpy.testing.assert_array_equal(gh.array, expected_h)
    numpy.testing.assert_array_equal(gx.array, expected_x)
    # Asking only for x: the fold applies and the result is the same.
    gx, = dchain.grad([y], [x], grad_outputs=[gy])
    numpy.testing.assert_array_equal(gx.array, expected_x)


def test_relu_output_used_twice(relu_grad_calls):
    x_data = _input()
    x = dchain.Variable(x_data)
    h = F.relu(x)
    w = numpy.random.default_rng(8).standard_normal(x_data.shape)
    y = F.sum(F.max_pooling_2d(h, 2) * 3) + F.sum(h * w)
    y.backward()
    h_data = numpy.maximum(x_data, 0)
    _, pool_grad = _unfused_grad(x_data, numpy.full((3, 2, 3, 3), 3.0), 2, 2, 0)
    numpy.testing.assert_allclose(x.grad, (pool_grad + w) * (h_data > 0), rtol=1e-12)
    assert len(relu_grad_calls) == 1  # the summed gradient is masked by the ReLU itself


def test_double_backward():
    x_data = _input(shape=(2, 2, 4, 4))
    gy = numpy.random.default_rng(5).standard_normal((2, 2, 2, 2))
    ggx = numpy.random.default_rng(6).standard_normal(x_data.shape)
    gradient_check.check_double_backward(
        lambda x: F.max_pooling_2d(F.relu(x), 2) ** 2, x_data, gy, ggx,
        eps=1e-3, atol=1e-3, rtol=1e-3)


def test_masked_scatter_is_linear_with_its_adjoint():
    pooling = importlib.import_module('dchain.functions.pooling.pooling_nd')
    x_data = _input(shape=(2, 3, 4, 4))
    func = F.MaxPooling2D(2)
    func.apply((x_data,))
    rng = numpy.random.default_rng(7)
    gate = rng.standard_normal((3, 2, 2, 2))   # batch-last, as the pooled maxima are kept
    gy = rng.standard_normal((2, 3, 2, 2))
    ggx = rng.standard_normal(x_data.shape)

    def scatter(g):
        return pooling.MaxPoolingScatter(func._geometry, func.indexes, gate).apply((g,))[0]
    plain = pooling.MaxPoolingScatter(func._geometry, func.indexes).apply((gy,))[0].array
    masked = scatter(gy).array
    numpy.testing.assert_array_equal(
        masked, pooling.MaxPoolingScatter(func._geometry, func.indexes).apply(
            (gy * (gate.transpose(3, 0, 1, 2) > 0),))[0].array)
    assert (masked != plain).any()
    gradient_check.check_backward(scatter, gy, ggx, atol=1e-6, rtol=1e-6)
    gradient_check.check_double_backward(scatter, gy, ggx, gy, atol=1e-6, rtol=1e-6)

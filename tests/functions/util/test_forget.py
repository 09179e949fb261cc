"""Tests of F.forget."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check


def _func(a, b):
    return F.tanh(a * b) + F.sigmoid(a)


def test_forward_value():
    x = numpy.random.randn(3, 4)
    w = numpy.random.randn(3, 4)
    y = F.forget(_func, x, w)
    expect = numpy.tanh(x * w) + 1 / (1 + numpy.exp(-x))
    numpy.testing.assert_allclose(y.array, expect, rtol=1e-12)


def test_intermediates_are_not_kept():
    x = dchain.Variable(numpy.random.randn(3, 4))
    y = F.forget(_func, x, x)
    creator = y.creator
    assert isinstance(creator, F.Forget)
    # The only graph behind y is the Forget node itself, straight from the input.
    assert [n.creator for n in creator.inputs] == [None, None]


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(dtype):
    x = numpy.random.randn(3, 4).astype(dtype)
    w = numpy.random.randn(3, 4).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    tol = dict(atol=1e-4, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(lambda x, w: F.forget(_func, x, w), (x, w), gy,
                                  dtype=numpy.float64, **tol)


def test_same_gradient_as_without_forget():
    x_data = numpy.random.randn(3, 4)
    grads = []
    for use_forget in (False, True):
        x = dchain.Variable(x_data)
        y = F.forget(_func, x, x) if use_forget else _func(x, x)
        F.sum(y * y).backward()
        grads.append(x.grad)
    numpy.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_double_backward():
    x = numpy.random.randn(3, 4)
    w = numpy.random.randn(3, 4)
    gy = numpy.random.randn(3, 4)
    gg = (numpy.random.randn(3, 4), numpy.random.randn(3, 4))
    gradient_check.check_double_backward(lambda x, w: F.forget(_func, x, w), (x, w), gy, gg,
                                         dtype=numpy.float64)


def test_third_derivative():
    x = dchain.Variable(numpy.array([0.3, -0.7]))
    y = F.forget(F.tanh, x)
    g1, = dchain.grad([F.sum(y)], [x], enable_double_backprop=True)
    g2, = dchain.grad([F.sum(g1)], [x], enable_double_backprop=True)
    g3, = dchain.grad([F.sum(g2)], [x])
    t = numpy.tanh(x.array)
    numpy.testing.assert_allclose(g3.array, -2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t),
                                  rtol=1e-12)


def test_multiple_outputs_and_unused_output():
    x = dchain.Variable(numpy.random.randn(2, 3))
    a, b = F.forget(lambda v: (v * 2.0, F.tanh(v)), x)
    F.sum(a).backward()  # b gets no gradient
    numpy.testing.assert_allclose(x.grad, numpy.full((2, 3), 2.0))


def test_integer_input_gets_no_gradient():
    x = dchain.Variable(numpy.random.randn(4, 3))
    t = numpy.array([0, 2, 1, 0], numpy.int32)
    y = F.forget(lambda v, idx: F.get_item(v, (numpy.arange(4), idx.array)), x, t)
    F.sum(y).backward()
    expect = numpy.zeros((4, 3))
    expect[numpy.arange(4), t] = 1
    numpy.testing.assert_array_equal(x.grad, expect)


def test_identity_output_does_not_alias_input():
    x = numpy.random.randn(3)
    y = F.forget(lambda v: v, x)
    assert y.array is not x
    numpy.testing.assert_array_equal(y.array, x)


def test_random_function_is_replayed():
    x = dchain.Variable(numpy.random.randn(10, 10))
    y = F.forget(lambda v: F.dropout(v * 3.0, 0.5), x)
    F.sum(y).backward()
    # The recomputed dropout drops exactly the elements the forward pass dropped.
    numpy.testing.assert_array_equal(x.grad == 0, y.array == 0)
    numpy.testing.assert_allclose(x.grad[y.array != 0], 6.0)


def test_invalid_return_value():
    with pytest.raises(RuntimeError):
        F.forget(lambda v: v.array, numpy.zeros(3))
    with pytest.raises(RuntimeError):
        F.forget(lambda v: (v, 1), numpy.zeros(3))


def test_not_callable():
    with pytest.raises(TypeError):
        F.forget(3, numpy.zeros(3))


def _gradients_with_and_without_forget(loss_of, make_link, x_data):
    results = []
    for use_forget in (False, True):
        numpy.random.seed(7)
        link = make_link()
        x = dchain.Variable(x_data.copy())
        y = F.forget(link, x) if use_forget else link(x)
        loss_of(y, x).backward()
        results.append((x.grad, [p.grad for p in link.params()]))
    return results


def test_parameters_of_links_get_gradients():
    import dchain.links as L
    x_data = numpy.random.randn(4, 3).astype(numpy.float64)

    def make_link():
        link = L.Linear(3, 2)
        for p in link.params():
            p.array = p.array.astype(numpy.float64)
        return link

    (gx0, gp0), (gx1, gp1) = _gradients_with_and_without_forget(
        lambda y, x: F.sum(F.tanh(y)), make_link, x_data)
    numpy.testing.assert_allclose(gx1, gx0, rtol=1e-12)
    assert len(gp0) == len(gp1) == 2
    for a, b in zip(gp0, gp1):
        assert b is not None
        numpy.testing.assert_allclose(b, a, rtol=1e-12)


def test_parameter_second_order_gradients():
    # A gradient penalty: d/dW of |dy/dx|^2 through forget equals the one without it.
    import dchain.links as L
    x_data = numpy.random.randn(4, 3)
    grads = []
    for use_forget in (False, True):
        numpy.random.seed(3)
        link = L.Linear(3, 2)
        for p in link.params():
            p.array = p.array.astype(numpy.float64)
        x = dchain.Variable(x_data.copy())

        def net(v):
            return F.tanh(link(v))

        y = F.forget(net, x) if use_forget else net(x)
        gx, = dchain.grad([F.sum(y * y)], [x], enable_double_backprop=True)
        link.cleargrads()
        F.sum(gx * gx).backward()
        grads.append([p.grad.copy() for p in link.params()])
    for a, b in zip(*grads):
        numpy.testing.assert_allclose(b, a, rtol=1e-10)


def test_no_backprop_mode_just_computes():
    x = numpy.random.randn(3)
    with dchain.no_backprop_mode():
        y = F.forget(F.tanh, x)
    assert y.creator is None
    numpy.testing.assert_allclose(y.array, numpy.tanh(x))

"""dchain.grad, higher-order derivatives, memory: graphs are freed and RSS stays flat."""
import gc
import os

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import Variable


def test_grad_returns_gradients_without_touching_leaves():
    x = Variable(numpy.array([1.0, 2.0, 3.0]))
    w = Variable(numpy.array([0.5, -1.0, 2.0]))
    y = F.sum(x * x * w)
    gx, = dchain.grad([y], [x])
    numpy.testing.assert_allclose(gx.array, 2 * x.array * w.array)
    assert x.grad is None and w.grad is None


def test_grad_set_grad_and_grad_inputs():
    x = Variable(numpy.array([1.0, 2.0]))
    y = F.sum(3 * x)
    gx, = dchain.grad([y], [x], grad_inputs=[numpy.array([10.0, 20.0])], set_grad=True)
    numpy.testing.assert_allclose(gx.array, [13, 23])
    assert x.grad_var is gx


def test_grad_with_respect_to_intermediate():
    x = Variable(numpy.array([1.0, 2.0]))
    h = x * 2
    y = F.sum(h * h)
    gh, gx = dchain.grad([y], [h, x])
    numpy.testing.assert_allclose(gh.array, 2 * h.array)
    numpy.testing.assert_allclose(gx.array, 8 * x.array)


def test_grad_unreachable_input_is_none():
    x = Variable(numpy.array([1.0]))
    z = Variable(numpy.array([1.0]))
    gz, = dchain.grad([x * 2], [z])
    assert gz is None


def test_third_derivative():
    x = Variable(numpy.array([0.3, -0.7]))
    y = F.sum(x ** 4)
    g1, = dchain.grad([y], [x], enable_double_backprop=True)
    g2, = dchain.grad([F.sum(g1)], [x], enable_double_backprop=True)
    g3, = dchain.grad([F.sum(g2)], [x])
    numpy.testing.assert_allclose(g1.array, 4 * x.array ** 3)
    numpy.testing.assert_allclose(g2.array, 12 * x.array ** 2)
    numpy.testing.assert_allclose(g3.array, 24 * x.array)


def test_grad_rejects_bad_arguments():
    x = Variable(numpy.array([1.0]))
    with pytest.raises(TypeError, match='list or tuple'):
        dchain.grad(x, [x])
    with pytest.raises(TypeError, match='Variables'):
        dchain.grad([x * 2], [numpy.ones(1)])
    with pytest.raises(ValueError, match='grad_outputs has 2 entries for 1 outputs'):
        dchain.grad([x * 2], [x], grad_outputs=[None, None])


def test_loss_scale():
    x = Variable(numpy.array([1.0, 2.0]))
    F.sum(x * 3).backward(loss_scale=4.0)
    numpy.testing.assert_allclose(x.grad, [12, 12])


def test_diamond_graph_accumulates_in_one_pass():
    x = Variable(numpy.array([2.0]))
    a = x * 3
    b = F.tanh(a)
    c = a * b + a
    c.backward()
    t = numpy.tanh(6.0)
    numpy.testing.assert_allclose(x.grad, [3 * (t + 6 * (1 - t * t) + 1)])


def _rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


@pytest.mark.skipif(not os.path.exists('/proc/self/statm'), reason='needs Linux /proc')
def test_no_leak_over_many_iterations():
    rng = numpy.random.RandomState(0)
    w = dchain.Parameter(rng.randn(8, 8).astype(numpy.float32))
    x0 = rng.randn(4, 8).astype(numpy.float32)

    def step():
        x = Variable(x0)
        h = F.tanh(F.matmul(x, w))
        loss = F.sum(h * h) / 2 + F.sum(abs(h))
        w.cleargrad()
        loss.backward()

    for _ in range(1000):  # warm-up: allocator pools, caches
        step()
    gc.collect()
    before = _rss_bytes()
    for _ in range(10000):
        step()
    gc.collect()
    growth = _rss_bytes() - before
    assert growth < 5 * 1024 * 1024, 'RSS grew by {:.1f} MB'.format(growth / 2 ** 20)
    # Nothing is kept alive by reference cycles: the graph is freed by reference counting.
    assert gc.collect() == 0


def test_grad_ready_hooks_fire_once_when_gradient_is_final():
    from dchain import _backprop
    w1 = dchain.Parameter(numpy.array([[0.5, -0.2], [0.1, 0.3]]))
    w2 = dchain.Parameter(numpy.array([[1.0, 2.0], [3.0, 4.0]]))
    unused = dchain.Parameter(numpy.ones(2))
    events = []

    def hook(var):
        # The gradient must be complete when the hook runs: compare with the final value later.
        events.append((var, var.grad.copy()))

    for p in (w1, w2, unused):
        _backprop.add_grad_ready_hook(p, hook)
    try:
        x = Variable(numpy.array([[1.0, 2.0]]))
        h = F.tanh(F.matmul(x, w1))
        y = F.sum(F.matmul(h, w2) * F.matmul(h, w1))  # w1 used twice, at two depths
        y.backward()
    finally:
        for p in (w1, w2, unused):
            _backprop.remove_grad_ready_hook(p, hook)
    fired = [id(v) for v, _ in events]
    assert fired.count(id(w1)) == 1 and fired.count(id(w2)) == 1 and id(unused) not in fired
    assert fired.index(id(w2)) < fired.index(id(w1))  # w2's gradient is ready first
    for var, g in events:
        numpy.testing.assert_array_equal(g, var.grad)
    assert not _backprop._grad_ready_hooks

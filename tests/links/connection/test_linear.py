"""L.Linear: shapes, initializers, lazy init, gradients."""
import numpy
import pytest

import dchain.links as L
from dchain import Variable, gradient_check, initializers
from dchain.utils import type_check


def test_seed_linear_values_and_grads():
    f = L.Linear(3, 2, initialW=numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    assert f.b.array.tolist() == [0, 0]
    x = Variable(numpy.array([[1, 2, 3], [4, 5, 6]], dtype=numpy.float32))
    y = f(x)
    numpy.testing.assert_allclose(y.array, x.array @ f.W.array.T)
    f.cleargrads()
    y.grad = numpy.ones((2, 2), dtype=numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(f.W.grad, [[5, 7, 9], [5, 7, 9]])
    numpy.testing.assert_array_equal(f.b.grad, [2, 2])


def test_options():
    f = L.Linear(3, 4, nobias=True, initialW=initializers.Constant(0.5))
    assert f.b is None and (f.W.array == 0.5).all()
    g = L.Linear(3, 4, initial_bias=2.0)
    assert (g.b.array == 2).all()
    h = L.Linear(None, 4)
    assert h.W.array is None
    y = h(Variable(numpy.ones((2, 3, 5), dtype=numpy.float32)))
    assert h.W.shape == (4, 15) and y.shape == (2, 4)


def test_n_batch_axes():
    f = L.Linear(5, 4)
    x = numpy.random.RandomState(0).randn(2, 3, 5).astype(numpy.float32)
    y = f(x, n_batch_axes=2)
    assert y.shape == (2, 3, 4)
    numpy.testing.assert_allclose(y.array, x @ f.W.array.T + f.b.array, rtol=1e-5)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_gradients(dtype):
    f = L.Linear(3, 2)
    for p in f.params():
        p.array = p.array.astype(dtype)
    rng = numpy.random.RandomState(1)
    x = rng.randn(4, 3).astype(dtype)
    gy = rng.randn(4, 2).astype(dtype)
    tol = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, x, gy, params=(f.W, f.b), dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(
        f, x, gy, rng.randn(4, 3).astype(dtype), params=(f.W, f.b),
        params_grad_grad=(rng.randn(2, 3).astype(dtype), rng.randn(2).astype(dtype)),
        dtype=numpy.float64, **tol)


def test_bad_input():
    f = L.Linear(3, 2)
    with pytest.raises(type_check.InvalidType, match=r'x.shape\[1\] == W.shape\[1\]'):
        f(numpy.ones((2, 4), dtype=numpy.float32))
    with pytest.raises(type_check.InvalidType, match='W.dtype == x.dtype'):
        f(numpy.ones((2, 3), dtype=numpy.float64))
    with pytest.raises(type_check.InvalidType, match="x.dtype.kind == 'f'"):
        f(numpy.ones((2, 3), dtype=numpy.int32))

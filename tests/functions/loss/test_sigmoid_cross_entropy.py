"""F.sigmoid_cross_entropy: value against numpy, ignore label, gradients, bad input."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, t, normalize=True, reduce='mean'):
    x = x.astype(numpy.float64)
    p = 1 / (1 + numpy.exp(-x))
    loss = -(t * numpy.log(p) + (1 - t) * numpy.log(1 - p))
    loss[t == -1] = 0
    if reduce == 'no':
        return loss
    count = (t != -1).sum() if normalize else len(x)
    return loss.sum() / max(count, 1)


def _data(dtype, shape=(4, 3), seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(*shape).astype(dtype)
    t = rng.randint(0, 2, shape).astype(numpy.int32)
    t.flat[::4] = -1
    return x, t


@pytest.mark.parametrize('normalize', [True, False])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('shape', [(5,), (4, 3), (2, 3, 2)])
def test_forward(normalize, reduce, shape):
    x, t = _data(numpy.float64, shape)
    y = F.sigmoid_cross_entropy(x, t, normalize=normalize, reduce=reduce)
    assert y.shape == (() if reduce == 'mean' else shape)
    numpy.testing.assert_allclose(y.array, _reference(x, t, normalize, reduce), rtol=1e-12)


def test_stable_for_large_logits():
    x = numpy.array([800.0, -800.0, 800.0], numpy.float32)
    t = numpy.array([1, 0, 0], numpy.int32)
    y = F.sigmoid_cross_entropy(x, t, reduce='no')
    numpy.testing.assert_allclose(y.array, [0, 0, 800], rtol=1e-6)


def test_all_ignored_gives_zero_loss_and_gradient():
    x = dchain.Variable(numpy.ones((3, 2), numpy.float32))
    y = F.sigmoid_cross_entropy(x, numpy.full((3, 2), -1, numpy.int32))
    y.backward()
    assert float(y.array) == 0
    assert numpy.all(x.grad == 0)


@pytest.mark.parametrize('dtype,tol', [(numpy.float16, 5e-2), (numpy.float32, 1e-4),
                                       (numpy.float64, 1e-7)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, tol, reduce):
    x, t = _data(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(*x.shape).astype(dtype)
    eps = 1e-1 if dtype == numpy.float16 else 1e-3
    gradient_check.check_backward(
        lambda x, t: F.sigmoid_cross_entropy(x, t, reduce=reduce), (x, t), gy,
        dtype=numpy.float64, atol=tol, rtol=tol, eps=eps)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_double_backward(dtype, reduce):
    x, t = _data(dtype)
    rng = numpy.random.RandomState(2)
    gy = numpy.asarray(rng.randn(*(() if reduce == 'mean' else x.shape)), dtype)
    ggx = rng.randn(*x.shape).astype(dtype)

    def f(x, t):
        return F.sigmoid_cross_entropy(x, t, reduce=reduce)
    gradient_check.check_double_backward(f, (x, t), gy, ggx, dtype=numpy.float64,
                                         atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize('x,t', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.int32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float32)),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32)),
])
def test_invalid_type(x, t):
    with pytest.raises(type_check.InvalidType):
        F.sigmoid_cross_entropy(x, t)


def test_bad_reduce():
    with pytest.raises(ValueError, match='reduce'):
        F.sigmoid_cross_entropy(numpy.zeros(2, numpy.float32), numpy.zeros(2, numpy.int32),
                                reduce='sum')

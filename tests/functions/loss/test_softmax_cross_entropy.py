"""F.softmax_cross_entropy: values against numpy, gradients, options, bad input."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _reference(x, t, normalize=True, class_weight=None, ignore_label=-1, reduce='mean'):
    x = x.astype(numpy.float64)
    xm = numpy.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    tf = t.reshape(-1)
    losses = numpy.zeros(len(tf))
    for i, (row, label) in enumerate(zip(xm, tf)):
        if label == ignore_label:
            continue
        log_z = numpy.log(numpy.exp(row - row.max()).sum()) + row.max()
        w = 1.0 if class_weight is None else class_weight[label]
        losses[i] = (log_z - row[label]) * w
    losses = losses.reshape(t.shape)
    if reduce == 'no':
        return losses
    count = (t != ignore_label).sum() if normalize else len(x)
    return losses.sum() / max(count, 1)


def _data(shape, dtype, ignore=True, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(*shape).astype(dtype)
    t_shape = shape[:1] + shape[2:]
    t = rng.randint(0, shape[1], t_shape).astype(numpy.int32)
    if ignore:
        t.flat[::3] = -1
    return x, t


@pytest.mark.parametrize('shape', [(5, 4), (3, 4, 2), (2, 3, 2, 2)])
@pytest.mark.parametrize('normalize', [True, False])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('weighted', [False, True])
def test_forward(shape, normalize, reduce, weighted):
    x, t = _data(shape, numpy.float64)
    cw = numpy.linspace(0.5, 2.0, shape[1]) if weighted else None
    y = F.softmax_cross_entropy(x, t, normalize=normalize, class_weight=cw, reduce=reduce)
    assert y.dtype == numpy.float64
    assert y.shape == (() if reduce == 'mean' else t.shape)
    numpy.testing.assert_allclose(y.array, _reference(x, t, normalize, cw, reduce=reduce),
                                  rtol=1e-12, atol=1e-12)


def test_forward_is_stable_for_huge_scores():
    x = numpy.array([[1000.0, 0.0, -1000.0], [-1e4, 1e4, 0.0]], numpy.float32)
    t = numpy.array([0, 0], numpy.int32)
    y = F.softmax_cross_entropy(x, t, reduce='no')
    assert numpy.all(numpy.isfinite(y.array))
    numpy.testing.assert_allclose(y.array, [0.0, 2e4], rtol=1e-6)


def test_ignore_label_everything_ignored_gives_zero():
    x, _ = _data((3, 4), numpy.float32)
    t = numpy.full(3, 7, numpy.int32)
    v = dchain.Variable(x)
    y = F.softmax_cross_entropy(v, t, ignore_label=7)
    assert float(y.array) == 0.0
    y.backward()
    assert numpy.all(v.grad == 0)


def test_ignored_rows_get_no_gradient():
    x, t = _data((6, 3), numpy.float32)
    v = dchain.Variable(x)
    F.softmax_cross_entropy(v, t).backward()
    ignored = t == -1
    assert ignored.any()
    assert numpy.all(v.grad[ignored] == 0)
    assert numpy.all(v.grad[~ignored] != 0)


def test_custom_ignore_label():
    x, t = _data((6, 3), numpy.float64, ignore=False)
    t[0] = 2
    y = F.softmax_cross_entropy(x, t, ignore_label=2)
    numpy.testing.assert_allclose(y.array, _reference(x, t, ignore_label=2))


@pytest.mark.parametrize('dtype,tol', [(numpy.float16, 5e-2), (numpy.float32, 1e-4),
                                       (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('cache_score', [True, False])
def test_backward(dtype, tol, reduce, cache_score):
    x, t = _data((3, 4, 2), dtype)
    cw = numpy.array([1.0, 0.5, 2.0, 1.5], dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(*t.shape).astype(dtype)

    def f(x, t):
        return F.softmax_cross_entropy(x, t, class_weight=cw, reduce=reduce,
                                       cache_score=cache_score)
    eps = 1e-1 if dtype == numpy.float16 else 1e-3
    gradient_check.check_backward(f, (x, t), gy, dtype=numpy.float64, atol=tol, rtol=tol,
                                  eps=eps)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_double_backward(dtype, reduce):
    x, t = _data((4, 3), dtype)
    rng = numpy.random.RandomState(1)
    gy = numpy.asarray(rng.randn(*(() if reduce == 'mean' else t.shape)), dtype)
    ggx = rng.randn(*x.shape).astype(dtype)

    cw = numpy.array([0.5, 1.0, 2.0], dtype)

    def f(x, t):
        return F.softmax_cross_entropy(x, t, reduce=reduce, class_weight=cw)
    tol = 1e-3 if dtype == numpy.float32 else 1e-6
    gradient_check.check_double_backward(f, (x, t), gy, ggx, dtype=numpy.float64,
                                         atol=tol, rtol=tol)


def test_gradient_matches_softmax_minus_onehot():
    x, t = _data((4, 5), numpy.float64, ignore=False)
    v = dchain.Variable(x)
    F.softmax_cross_entropy(v, t).backward()
    e = numpy.exp(x - x.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    p[numpy.arange(4), t] -= 1
    numpy.testing.assert_allclose(v.grad, p / 4, rtol=1e-12)


@pytest.mark.parametrize('x_shape,t_shape,t_dtype', [
    ((3, 4), (4,), numpy.int32),        # batch sizes differ
    ((3, 4), (3, 1), numpy.int32),      # t has one axis too many
    ((3, 4, 2), (3, 3), numpy.int32),   # spatial shapes differ
    ((3, 4), (3,), numpy.float32),      # labels must be integers
])
def test_invalid_type(x_shape, t_shape, t_dtype):
    x = numpy.zeros(x_shape, numpy.float32)
    t = numpy.zeros(t_shape, t_dtype)
    with pytest.raises(type_check.InvalidType):
        F.softmax_cross_entropy(x, t)


def test_integer_scores_rejected():
    with pytest.raises(type_check.InvalidType):
        F.softmax_cross_entropy(numpy.zeros((2, 3), numpy.int32), numpy.zeros(2, numpy.int32))


def test_class_weight_of_wrong_length_rejected():
    with pytest.raises(type_check.InvalidType):
        F.softmax_cross_entropy(numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.int32),
                                class_weight=numpy.ones(4, numpy.float32))


def test_bad_arguments():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='reduce'):
        F.softmax_cross_entropy(x, numpy.zeros(2, numpy.int32), reduce='sum')
    with pytest.raises(ValueError, match='labels'):
        F.softmax_cross_entropy(x, numpy.array([0, 3], numpy.int32))
    with pytest.raises(ValueError, match='labels'):
        F.softmax_cross_entropy(x, numpy.array([0, -2], numpy.int32))


def test_node_class_is_exported():
    assert F.SoftmaxCrossEntropy is not None


@pytest.mark.parametrize('soft_target_loss', ['cross-entropy', 'kl-divergence'])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_soft_targets(soft_target_loss, reduce):
    rng = numpy.random.RandomState(4)
    x = rng.randn(4, 3, 2)
    t = rng.rand(4, 3, 2)
    t[0, :, 0] = [0.0, 1.0, 0.0]          # a one-hot target: 0 log 0 must count as 0
    t /= t.sum(axis=1, keepdims=True)
    y = F.softmax_cross_entropy(x, t, reduce=reduce, soft_target_loss=soft_target_loss)
    log_p = x - x.max(1, keepdims=True)
    log_p -= numpy.log(numpy.exp(log_p).sum(1, keepdims=True))
    expected = -(t * log_p).sum(1)
    if soft_target_loss == 'kl-divergence':
        expected += numpy.where(t > 0, t * numpy.log(numpy.where(t > 0, t, 1)), 0).sum(1)
    numpy.testing.assert_allclose(y.array, expected.mean() if reduce == 'mean' else expected,
                                  rtol=1e-12)
    gradient_check.check_backward(
        lambda x: F.softmax_cross_entropy(x, t, reduce=reduce,
                                          soft_target_loss=soft_target_loss), x,
        None if reduce == 'mean' else rng.randn(4, 2), dtype=numpy.float64, rtol=1e-6,
        atol=1e-6)
    with pytest.raises(type_check.InvalidType):
        F.softmax_cross_entropy(x, t[:, :2])
    with pytest.raises(ValueError):
        F.softmax_cross_entropy(x, t, soft_target_loss='l2')

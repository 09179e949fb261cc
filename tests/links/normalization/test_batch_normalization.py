"""Tests of L.BatchNormalization."""
import numpy
import pytest

import dchain
import dchain.links as L
from dchain import gradient_check


def _batch(shape, seed=0, dtype=numpy.float32):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)


def _normalize(x, mean, var, gamma, beta, eps, axis):
    shape = [1 if i in axis else s for i, s in enumerate(x.shape)]
    return gamma.reshape(shape) * (x - mean.reshape(shape)) / numpy.sqrt(
        var.reshape(shape) + eps) + beta.reshape(shape)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_train_then_test_mode(dtype):
    bn = L.BatchNormalization(3, decay=0.5, eps=1e-3, dtype=dtype,
                              initial_gamma=2.0, initial_beta=0.5)
    assert bn.gamma.dtype == dtype and bn.avg_mean.dtype == dtype
    numpy.testing.assert_array_equal(bn.gamma.array, [2, 2, 2])
    x = _batch((4, 3, 2, 2), 1, dtype)
    y = bn(x)
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    numpy.testing.assert_allclose(
        y.array, _normalize(x, mean, var, bn.gamma.array, bn.beta.array, 1e-3, (0, 2, 3)),
        rtol=1e-4, atol=1e-4)
    numpy.testing.assert_allclose(bn.avg_mean, 0.5 * mean, rtol=1e-5, atol=1e-6)
    m = x.size // 3
    numpy.testing.assert_allclose(bn.avg_var, 0.5 + 0.5 * var * m / (m - 1), rtol=1e-5)
    avg_mean, avg_var = bn.avg_mean.copy(), bn.avg_var.copy()
    with dchain.using_config('train', False):
        x2 = _batch((2, 3, 2, 2), 2, dtype)
        y2 = bn(x2)
    numpy.testing.assert_allclose(
        y2.array, _normalize(x2, avg_mean, avg_var, bn.gamma.array, bn.beta.array, 1e-3,
                             (0, 2, 3)), rtol=1e-4, atol=1e-4)
    numpy.testing.assert_array_equal(bn.avg_mean, avg_mean)  # test mode keeps the averages


def test_finetune_averages_all_batches():
    bn = L.BatchNormalization(2)
    xs = [_batch((5, 2), s) for s in range(3)]
    for x in xs:
        bn(x, finetune=True)
    assert bn.N == 3
    expected = numpy.mean([x.mean(axis=0) for x in xs], axis=0)
    numpy.testing.assert_allclose(bn.avg_mean, expected, rtol=1e-5, atol=1e-6)
    expected_var = numpy.mean([x.var(axis=0, ddof=1) for x in xs], axis=0)
    numpy.testing.assert_allclose(bn.avg_var, expected_var, rtol=1e-5)
    bn.start_finetuning()
    assert bn.N == 0


def test_lazy_size_from_axis_and_no_gamma_beta():
    bn = L.BatchNormalization(axis=(0, 2), use_gamma=False, use_beta=False)
    assert bn.avg_mean is None
    assert list(bn.params()) == []
    x = _batch((4, 3, 5), 3)
    y = bn(x)
    assert bn.avg_mean.shape == (3,)
    mean, var = x.mean(axis=(0, 2)), x.var(axis=(0, 2))
    numpy.testing.assert_allclose(
        y.array, _normalize(x, mean, var, numpy.ones(3), numpy.zeros(3), 2e-5, (0, 2)),
        rtol=1e-4, atol=1e-4)


def test_size_tuple_and_initial_averages():
    bn = L.BatchNormalization((3, 2), initial_avg_mean=0.5, initial_avg_var=2.0)
    numpy.testing.assert_array_equal(bn.avg_mean, numpy.full((3, 2), 0.5, numpy.float32))
    numpy.testing.assert_array_equal(bn.avg_var, numpy.full((3, 2), 2.0, numpy.float32))
    assert bn.gamma.shape == (3, 2)
    assert bn(_batch((4, 3, 2))).shape == (4, 3, 2)


def test_persistents_and_params():
    bn = L.BatchNormalization(3)
    assert set(bn._persistent) == {'avg_mean', 'avg_var', 'N'}
    assert sorted(name for name, _ in bn.namedparams()) == ['/beta', '/gamma']


def test_gradients_reach_parameters():
    bn = L.BatchNormalization(3)
    bn.gamma.array[...] = numpy.array([0.5, 1.0, 1.5], numpy.float32)
    x = _batch((6, 3), 4, numpy.float32)
    gy = _batch((6, 3), 5, numpy.float32)
    gradient_check.check_backward(bn, x, gy, params=(bn.gamma, bn.beta), dtype=numpy.float64,
                                  atol=1e-3, rtol=1e-3)


def test_bad_arguments():
    with pytest.raises(RuntimeError):
        L.BatchNormalization()
    bn = L.BatchNormalization(3)
    with pytest.raises(ValueError):
        bn(_batch((2, 3)), test=True)
    with pytest.raises(TypeError):
        bn(_batch((2, 3)), unknown=True)

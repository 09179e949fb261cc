"""Tests of L.LayerNormalization, L.GroupNormalization and L.BatchRenormalization."""
import numpy
import pytest

import dchain
import dchain.links as L
from dchain import gradient_check


def _rand(shape, seed, dtype=numpy.float32):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)


def test_layer_normalization_link():
    ln = L.LayerNormalization()
    assert ln.gamma.array is None
    x = _rand((3, 2, 2), 0)
    y = ln(x)
    assert ln.gamma.shape == (4,) and ln.eps == 1e-6
    x2 = x.reshape(3, 4).astype(numpy.float64)
    ref = (x2 - x2.mean(1, keepdims=True)) / numpy.sqrt(x2.var(1, keepdims=True) + 1e-6)
    numpy.testing.assert_allclose(y.array, ref.reshape(x.shape), rtol=1e-4, atol=1e-5)
    ln2 = L.LayerNormalization(3, initial_gamma=2.0, initial_beta=1.0)
    x = _rand((2, 3), 1)
    y = ln2(x)
    x2 = x.astype(numpy.float64)
    ref = (x2 - x2.mean(1, keepdims=True)) / numpy.sqrt(x2.var(1, keepdims=True) + 1e-6)
    numpy.testing.assert_allclose(y.array, 2 * ref + 1, rtol=1e-4, atol=1e-4)
    gradient_check.check_backward(ln2, x, _rand((2, 3), 2), params=(ln2.gamma, ln2.beta),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_group_normalization_link():
    gn = L.GroupNormalization(2)
    x = _rand((2, 4, 3), 3)
    y = gn(x)
    assert gn.gamma.shape == (4,)
    xg = x.reshape(2, 2, -1).astype(numpy.float64)
    ref = (xg - xg.mean(2, keepdims=True)) / numpy.sqrt(xg.var(2, keepdims=True) + 1e-5)
    numpy.testing.assert_allclose(y.array, ref.reshape(x.shape), rtol=1e-4, atol=1e-4)
    gradient_check.check_backward(gn, x, _rand(x.shape, 4), params=(gn.gamma, gn.beta),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    with pytest.raises(ValueError):
        L.GroupNormalization(2)(numpy.ones(4, numpy.float32))


def test_batch_renormalization_link():
    brn = L.BatchRenormalization(3, rmax=2.0, dmax=1.0, decay=0.5)
    x = _rand((6, 3), 5)
    brn(x)
    numpy.testing.assert_allclose(brn.avg_mean, 0.5 * x.mean(0), rtol=1e-5, atol=1e-6)
    avg_mean, avg_var = brn.avg_mean.copy(), brn.avg_var.copy()
    with dchain.using_config('train', False):
        y = brn(x)
    ref = (x - avg_mean) / numpy.sqrt(avg_var + 2e-5)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-5)
    frozen = L.BatchRenormalization(3, freeze_running_statistics=True)
    frozen(x)
    numpy.testing.assert_array_equal(frozen.avg_mean, numpy.zeros(3, numpy.float32))
    # rmax = 1, dmax = 0 (the defaults) make it plain batch normalization in training.
    plain = L.BatchRenormalization(3)
    y = plain(x)
    ref = (x - x.mean(0)) / numpy.sqrt(x.var(0) + 2e-5)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-4)

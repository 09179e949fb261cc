"""Tests of F.gumbel_softmax."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_rows_are_distributions(dtype):
    log_pi = numpy.random.randn(5, 4).astype(dtype)
    y = F.gumbel_softmax(log_pi, tau=0.5)
    assert y.dtype == dtype and y.shape == (5, 4)
    assert (y.array >= 0).all()
    numpy.testing.assert_allclose(y.array.astype(numpy.float64).sum(axis=1), 1, rtol=1e-2)


def test_samples_follow_categorical():
    probs = numpy.array([0.1, 0.2, 0.7])
    log_pi = numpy.tile(numpy.log(probs), (20000, 1))
    y = F.gumbel_softmax(log_pi, tau=0.01).array
    # With a low temperature the samples are nearly one-hot.
    assert (y.max(axis=1) > 0.95).mean() > 0.95
    freq = numpy.bincount(y.argmax(axis=1), minlength=3) / len(y)
    numpy.testing.assert_allclose(freq, probs, atol=0.02)


def test_axis():
    log_pi = numpy.random.randn(4, 3, 2).astype(numpy.float32)
    y = F.gumbel_softmax(log_pi, tau=1.0, axis=2)
    numpy.testing.assert_allclose(y.array.sum(axis=2), 1, rtol=1e-5)


def test_matches_softmax_of_perturbed_input():
    log_pi = numpy.random.randn(3, 5)
    numpy.random.seed(3)
    y = F.gumbel_softmax(log_pi, tau=0.7).array
    numpy.random.seed(3)
    z = (log_pi + numpy.random.gumbel(size=log_pi.shape)) / 0.7
    e = numpy.exp(z - z.max(axis=1, keepdims=True))
    numpy.testing.assert_allclose(y, e / e.sum(axis=1, keepdims=True), rtol=1e-10)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward_fixed_noise(dtype):
    log_pi = numpy.random.randn(3, 4).astype(dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)

    def f(x):
        numpy.random.seed(0)  # the same Gumbel noise on every evaluation
        return F.gumbel_softmax(x, tau=1.0)

    tol = dict(atol=1e-4, rtol=1e-3) if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, log_pi, gy, dtype=numpy.float64, **tol)


def test_invalid_tau():
    with pytest.raises(ValueError):
        F.gumbel_softmax(numpy.zeros((2, 3), numpy.float32), tau=0)


def test_invalid_axis():
    with pytest.raises(type_check.InvalidType):
        F.gumbel_softmax(numpy.zeros((2, 3), numpy.float32), axis=2)

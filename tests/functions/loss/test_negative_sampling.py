"""F.negative_sampling: value against numpy with known samples, gradients, bad input."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


class _FixedSampler:
    """Returns the same negatives every call, so finite differences see one function."""

    def __init__(self, samples):
        self.samples = samples

    def __call__(self, shape):
        assert shape == self.samples.shape
        return self.samples


def _data(dtype, n=4, d=3, v=6, s=2, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, d).astype(dtype)
    w = rng.randn(v, d).astype(dtype)
    t = rng.randint(0, v, n).astype(numpy.int32)
    t[1] = -1
    negatives = rng.randint(0, v, (n, s)).astype(numpy.int32)
    return x, t, w, _FixedSampler(negatives)


def _reference(x, t, w, negatives):
    out = []
    for xi, ti, ni in zip(x.astype(numpy.float64), t, negatives):
        if ti == -1:
            out.append(0.0)
            continue
        loss = numpy.logaddexp(0, -w[ti] @ xi)
        loss += sum(numpy.logaddexp(0, w[j] @ xi) for j in ni)
        out.append(loss)
    return numpy.array(out)


@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_forward(reduce):
    x, t, w, sampler = _data(numpy.float64)
    loss, samples = F.negative_sampling(x, t, w, sampler, 2, reduce=reduce,
                                        return_samples=True)
    expected = _reference(x, t, w, sampler.samples)
    numpy.testing.assert_allclose(loss.array, expected.sum() if reduce == 'sum' else expected,
                                  rtol=1e-12)
    assert samples.shape == (4, 3)
    numpy.testing.assert_array_equal(samples[:, 0], t)
    numpy.testing.assert_array_equal(samples[:, 1:], sampler.samples)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_backward(dtype, tol, reduce):
    x, t, w, sampler = _data(dtype)
    gy = None if reduce == 'sum' else numpy.random.randn(4).astype(dtype)
    gradient_check.check_backward(
        lambda x, t, w: F.negative_sampling(x, t, w, sampler, 2, reduce=reduce), (x, t, w), gy,
        dtype=numpy.float64, atol=tol, rtol=tol)


def test_double_backward():
    x, t, w, sampler = _data(numpy.float64)
    rng = numpy.random.RandomState(3)
    gradient_check.check_double_backward(
        lambda x, t, w: F.negative_sampling(x, t, w, sampler, 2, reduce='no'), (x, t, w),
        rng.randn(4), (rng.randn(*x.shape), rng.randn(*w.shape)), dtype=numpy.float64,
        atol=1e-5, rtol=1e-4)


def test_ignored_row_has_no_gradient():
    x, t, w, sampler = _data(numpy.float64)
    xv = dchain.Variable(x)
    F.negative_sampling(xv, t, w, sampler, 2).backward()
    assert numpy.all(xv.grad[1] == 0) and numpy.all(xv.grad[0] != 0)


def test_invalid():
    x, t, w, sampler = _data(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.negative_sampling(x, t[:3], w, sampler, 2)
    with pytest.raises(type_check.InvalidType):
        F.negative_sampling(x, t, w[:, :2], sampler, 2)
    with pytest.raises(type_check.InvalidType):
        F.negative_sampling(x, t, w.astype(numpy.float64), sampler, 2)
    with pytest.raises(ValueError):
        F.negative_sampling(x, t, w, sampler, 2, reduce='mean')
    with pytest.raises(ValueError):
        F.negative_sampling(x, numpy.array([0, 1, 2, 6], numpy.int32), w, sampler, 2)

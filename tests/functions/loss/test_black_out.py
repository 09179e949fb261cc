"""F.black_out: value against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _data(dtype, n=4, d=3, v=7, s=3, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(n, d).astype(dtype)
    w = rng.randn(v, d).astype(dtype)
    t = rng.randint(0, v, n).astype(numpy.int32)
    samples = rng.randint(0, v, (n, s)).astype(numpy.int32)
    return x, t, w, samples


def _reference(x, t, w, samples):
    out = []
    for xi, ti, si in zip(x, t, samples):
        scores = numpy.array([w[ti] @ xi] + [w[j] @ xi for j in si])
        p = numpy.exp(scores - scores.max())
        p /= p.sum()
        out.append(-(numpy.log(p[0]) + numpy.log(1 - p[1:]).sum()))
    return numpy.array(out)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward(reduce):
    x, t, w, samples = _data(numpy.float64)
    expected = _reference(x, t, w, samples)
    y = F.black_out(x, t, w, samples, reduce=reduce)
    numpy.testing.assert_allclose(y.array, expected.mean() if reduce == 'mean' else expected,
                                  rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, tol, reduce):
    x, t, w, samples = _data(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(4).astype(dtype)
    gradient_check.check_backward(
        lambda x, t, w, s: F.black_out(x, t, w, s, reduce=reduce), (x, t, w, samples), gy,
        dtype=numpy.float64, atol=tol, rtol=tol)


def test_double_backward():
    x, t, w, samples = _data(numpy.float64)
    rng = numpy.random.RandomState(1)
    gradient_check.check_double_backward(
        lambda x, t, w, s: F.black_out(x, t, w, s, reduce='no'), (x, t, w, samples),
        rng.randn(4), (rng.randn(*x.shape), rng.randn(*w.shape)), dtype=numpy.float64,
        atol=1e-5, rtol=1e-4)


def test_invalid():
    x, t, w, samples = _data(numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.black_out(x, t[:2], w, samples)
    with pytest.raises(type_check.InvalidType):
        F.black_out(x, t, w, samples[:2])
    with pytest.raises(type_check.InvalidType):
        F.black_out(x, t, w, samples.astype(numpy.float32))
    with pytest.raises(ValueError):
        F.black_out(x, t, w, samples + 10)
    with pytest.raises(ValueError):
        F.black_out(x, t, w, samples, reduce='sum')

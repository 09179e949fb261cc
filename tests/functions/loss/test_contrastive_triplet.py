"""F.contrastive and F.triplet: values against numpy, gradients, bad input."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


def _contrastive_ref(x0, x1, y, margin, reduce):
    d = numpy.sqrt(((x0 - x1) ** 2).sum(axis=1))
    loss = 0.5 * (y * d ** 2 + (1 - y) * numpy.maximum(margin - d, 0) ** 2)
    return loss.mean() if reduce == 'mean' else loss


def _triplet_ref(a, p, n, margin, reduce):
    loss = numpy.maximum(((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + margin, 0)
    return loss.mean() if reduce == 'mean' else loss


def _contrastive_inputs(dtype, margin=1.0):
    rng = numpy.random.RandomState(0)
    x0 = rng.uniform(-0.5, 0.5, (6, 3))
    x1 = rng.uniform(-0.5, 0.5, (6, 3))
    d = numpy.sqrt(((x0 - x1) ** 2).sum(1))
    # Keep distances off the margin's kink.
    x1[numpy.abs(d - margin) < 0.05] += 0.2
    y = numpy.array([1, 0, 1, 0, 0, 1], numpy.int32)
    return x0.astype(dtype), x1.astype(dtype), y


def _triplet_inputs(dtype, margin=0.2):
    rng = numpy.random.RandomState(1)
    a, p, n = (rng.uniform(-1, 1, (6, 3)) for _ in range(3))
    v = ((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + margin
    n[numpy.abs(v) < 0.05] += 0.3
    return a.astype(dtype), p.astype(dtype), n.astype(dtype)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('margin', [0.5, 1.0])
def test_contrastive_forward(reduce, margin):
    x0, x1, y = _contrastive_inputs(numpy.float64, margin)
    out = F.contrastive(x0, x1, y, margin=margin, reduce=reduce)
    # Some dissimilar pairs sit inside the margin, so both terms of the loss are exercised.
    assert (_contrastive_ref(x0, x1, y, margin, 'no')[y == 0] > 0).any()
    numpy.testing.assert_allclose(out.array, _contrastive_ref(x0, x1, y, margin, reduce),
                                  rtol=1e-12)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_triplet_forward(reduce):
    a, p, n = _triplet_inputs(numpy.float64)
    expected = _triplet_ref(a, p, n, 0.2, 'no')
    assert (expected > 0).any() and (expected == 0).any()
    out = F.triplet(a, p, n, reduce=reduce)
    numpy.testing.assert_allclose(out.array, _triplet_ref(a, p, n, 0.2, reduce), rtol=1e-12)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_contrastive_backward(dtype, tol, reduce):
    x0, x1, y = _contrastive_inputs(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(6).astype(dtype)
    gradient_check.check_backward(lambda a, b, y: F.contrastive(a, b, y, reduce=reduce),
                                  (x0, x1, y), gy, dtype=numpy.float64, atol=tol, rtol=tol)


@pytest.mark.parametrize('dtype,tol', [(numpy.float32, 1e-3), (numpy.float64, 1e-6)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_triplet_backward(dtype, tol, reduce):
    xs = _triplet_inputs(dtype)
    gy = None if reduce == 'mean' else numpy.random.randn(6).astype(dtype)
    gradient_check.check_backward(lambda *xs: F.triplet(*xs, reduce=reduce), xs, gy,
                                  dtype=numpy.float64, atol=tol, rtol=tol)


def test_double_backward():
    x0, x1, y = _contrastive_inputs(numpy.float64)
    rng = numpy.random.RandomState(2)
    gradient_check.check_double_backward(
        lambda a, b, y: F.contrastive(a, b, y, reduce='no'), (x0, x1, y), rng.randn(6),
        (rng.randn(6, 3), rng.randn(6, 3)), dtype=numpy.float64, atol=1e-5, rtol=1e-4)
    xs = _triplet_inputs(numpy.float64)
    gradient_check.check_double_backward(
        lambda *xs: F.triplet(*xs, reduce='no'), xs, rng.randn(6),
        tuple(rng.randn(6, 3) for _ in range(3)), dtype=numpy.float64, atol=1e-5, rtol=1e-4)


def test_invalid():
    f32 = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.contrastive(f32, numpy.zeros((2, 4), numpy.float32), numpy.zeros(2, numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.contrastive(f32, f32, numpy.zeros(3, numpy.int32))
    with pytest.raises(type_check.InvalidType):
        F.triplet(f32, f32, numpy.zeros((2, 3), numpy.float64))
    with pytest.raises(type_check.InvalidType):
        F.triplet(numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float32),
                  numpy.zeros(3, numpy.float32))
    with pytest.raises(ValueError):
        F.triplet(f32, f32, f32, margin=0)
    with pytest.raises(ValueError):
        F.contrastive(f32, f32, numpy.zeros(2, numpy.int32), reduce='sum')


def test_contrastive_coincident_dissimilar_pair_has_finite_gradient():
    import dchain
    x0 = dchain.Variable(numpy.zeros((2, 3), numpy.float32))
    x1 = dchain.Variable(numpy.zeros((2, 3), numpy.float32))
    loss = F.contrastive(x0, x1, numpy.array([0, 1], numpy.int32))
    numpy.testing.assert_allclose(loss.array, 0.25, rtol=1e-6)   # margin^2 / 2 / N
    loss.backward()
    assert numpy.all(numpy.isfinite(x0.grad)) and numpy.all(numpy.isfinite(x1.grad))

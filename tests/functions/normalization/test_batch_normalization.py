"""Tests of F.batch_normalization and F.fixed_batch_normalization."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-3, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-6)}
GRAD_TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2, eps=1e-2),
            numpy.float32: dict(atol=1e-3, rtol=1e-3, eps=1e-3),
            numpy.float64: dict(atol=1e-6, rtol=1e-5, eps=1e-4)}
# (x shape, gamma shape, axis)
CASES = [((5, 3), (3,), None), ((4, 3, 2, 2), (3,), None), ((3, 4, 2), (4, 2), None),
         ((6, 3, 2), (6,), (1, 2)), ((2, 3, 4), (3,), (0, 2))]


def _reference(x, gamma, beta, axis, eps, mean=None, var=None):
    x = x.astype(numpy.float64)
    if axis is None:
        axis = (0,) + tuple(range(gamma.ndim + 1, x.ndim))
    shape = [1 if i in axis else s for i, s in enumerate(x.shape)]
    if mean is None:
        mean = x.mean(axis=axis)
        var = x.var(axis=axis)
    y = (x - mean.reshape(shape)) / numpy.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * y + beta.reshape(shape)


def _inputs(x_shape, g_shape, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, x_shape).astype(dtype)
    gamma = rng.uniform(0.5, 1.5, g_shape).astype(dtype)
    beta = rng.uniform(-1, 1, g_shape).astype(dtype)
    return x, gamma, beta


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,g_shape,axis', CASES)
def test_forward_and_running_averages(dtype, x_shape, g_shape, axis):
    x, gamma, beta = _inputs(x_shape, g_shape, dtype)
    rm = numpy.zeros(g_shape, dtype)
    rv = numpy.ones(g_shape, dtype)
    y = F.batch_normalization(x, gamma, beta, eps=1e-3, running_mean=rm, running_var=rv,
                              decay=0.8, axis=axis)
    assert y.dtype == dtype and y.shape == x.shape
    numpy.testing.assert_allclose(y.array, _reference(x, gamma, beta, axis, 1e-3), **TOL[dtype])
    red = axis if axis is not None else (0,) + tuple(range(len(g_shape) + 1, len(x_shape)))
    x64 = x.astype(numpy.float64)
    numpy.testing.assert_allclose(rm, 0.2 * x64.mean(axis=red), **TOL[dtype])
    numpy.testing.assert_allclose(rv, 0.8 + 0.2 * x64.var(axis=red, ddof=1), **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,g_shape,axis', CASES)
def test_backward(dtype, x_shape, g_shape, axis):
    x, gamma, beta = _inputs(x_shape, g_shape, dtype, 1)
    gy = numpy.random.RandomState(2).uniform(-1, 1, x_shape).astype(dtype)
    gradient_check.check_backward(
        lambda x, g, b: F.batch_normalization(x, g, b, axis=axis), (x, gamma, beta), gy,
        dtype=numpy.float64, **GRAD_TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,g_shape,axis', CASES[:4])
def test_double_backward(dtype, x_shape, g_shape, axis):
    rng = numpy.random.RandomState(3)
    x, gamma, beta = _inputs(x_shape, g_shape, dtype, 4)
    gy = rng.uniform(-1, 1, x_shape).astype(dtype)
    ggx = rng.uniform(-1, 1, x_shape).astype(dtype)
    ggg = rng.uniform(-1, 1, g_shape).astype(dtype)
    ggb = rng.uniform(-1, 1, g_shape).astype(dtype)
    tol = dict(GRAD_TOL[dtype])
    if dtype == numpy.float32:
        tol.update(atol=1e-2, rtol=1e-2)
    gradient_check.check_double_backward(
        lambda x, g, b: F.batch_normalization(x, g, b, axis=axis), (x, gamma, beta), gy,
        (ggx, ggg, ggb), dtype=numpy.float64, **tol)


def test_graph_gradient_matches_fused_gradient():
    x, gamma, beta = _inputs((4, 3, 2), (3,), numpy.float64, 5)
    gy = numpy.random.RandomState(6).randn(4, 3, 2)
    grads = []
    for double in (False, True):
        xs = [dchain.Variable(a.copy()) for a in (x, gamma, beta)]
        y = F.batch_normalization(*xs)
        y.grad = gy
        y.backward(enable_double_backprop=double)
        grads.append([v.grad for v in xs])
    for a, b in zip(*grads):
        numpy.testing.assert_allclose(a, b, atol=1e-12, rtol=1e-10)


@pytest.mark.parametrize('bad', ['gamma_shape', 'dtype', 'ndim', 'int'])
def test_invalid_type(bad):
    x, gamma, beta = _inputs((4, 3), (3,), numpy.float32)
    if bad == 'gamma_shape':
        gamma = numpy.ones(4, numpy.float32)
    elif bad == 'dtype':
        beta = beta.astype(numpy.float64)
    elif bad == 'ndim':
        x = numpy.ones((3,), numpy.float32)
    else:
        x = x.astype(numpy.int32)
    with pytest.raises(type_check.InvalidType):
        F.batch_normalization(x, gamma, beta)


def test_bad_arguments():
    x, gamma, beta = _inputs((4, 3), (3,), numpy.float32)
    with pytest.raises(TypeError):
        F.batch_normalization(x, gamma, beta, unknown=1)
    with pytest.raises(ValueError):
        F.batch_normalization(x, gamma, beta, axis=3)


# ---------------------------------------------------------------- fixed_batch_normalization

def _fixed_inputs(x_shape, g_shape, dtype, seed=0):
    x, gamma, beta = _inputs(x_shape, g_shape, dtype, seed)
    rng = numpy.random.RandomState(seed + 10)
    mean = rng.uniform(-0.5, 0.5, g_shape).astype(dtype)
    var = rng.uniform(0.5, 1.5, g_shape).astype(dtype)
    return x, gamma, beta, mean, var


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,g_shape,axis', CASES)
def test_fixed_forward(dtype, x_shape, g_shape, axis):
    x, gamma, beta, mean, var = _fixed_inputs(x_shape, g_shape, dtype)
    y = F.fixed_batch_normalization(x, gamma, beta, mean, var, eps=1e-3, axis=axis)
    assert y.dtype == dtype
    ref = _reference(x, gamma, beta, axis, 1e-3, mean.astype(numpy.float64),
                     var.astype(numpy.float64))
    numpy.testing.assert_allclose(y.array, ref, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('x_shape,g_shape,axis', CASES[1:4])
def test_fixed_backward(dtype, x_shape, g_shape, axis):
    inputs = _fixed_inputs(x_shape, g_shape, dtype, 1)
    gy = numpy.random.RandomState(2).uniform(-1, 1, x_shape).astype(dtype)
    gradient_check.check_backward(
        lambda *a: F.fixed_batch_normalization(*a, axis=axis), inputs, gy,
        dtype=numpy.float64, **GRAD_TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_fixed_double_backward(dtype):
    inputs = _fixed_inputs((3, 2, 2), (2,), dtype, 3)
    rng = numpy.random.RandomState(4)
    gy = rng.uniform(-1, 1, (3, 2, 2)).astype(dtype)
    ggs = tuple(rng.uniform(-1, 1, a.shape).astype(dtype) for a in inputs)
    tol = dict(GRAD_TOL[dtype])
    if dtype == numpy.float32:
        tol.update(atol=1e-2, rtol=1e-2)
    gradient_check.check_double_backward(F.fixed_batch_normalization, inputs, gy, ggs,
                                         dtype=numpy.float64, **tol)


def test_fixed_invalid_type():
    x, gamma, beta, mean, var = _fixed_inputs((4, 3), (3,), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        F.fixed_batch_normalization(x, gamma, beta, mean, numpy.ones(2, numpy.float32))
    with pytest.raises(type_check.InvalidType):
        F.fixed_batch_normalization(x, gamma, beta, mean.astype(numpy.float64), var)


@pytest.mark.parametrize('x_dtype,p_dtype', [(numpy.float16, numpy.float32),
                                             (numpy.float32, numpy.float64)])
def test_mixed_precision_parameters(x_dtype, p_dtype):
    x, _, _ = _inputs((4, 3, 2), (3,), x_dtype, 7)
    _, gamma, beta = _inputs((4, 3, 2), (3,), p_dtype, 8)
    mean = numpy.zeros(3, p_dtype)
    var = numpy.ones(3, p_dtype)
    for double in (False, True):
        xs = [dchain.Variable(a) for a in (x, gamma, beta)]
        y = F.batch_normalization(*xs, running_mean=mean, running_var=var)
        assert y.dtype == x_dtype
        numpy.testing.assert_allclose(y.array, _reference(x, gamma, beta, None, 2e-5),
                                      **TOL[x_dtype])
        y.grad = numpy.ones_like(y.array)
        y.backward(enable_double_backprop=double)
        assert xs[0].grad.dtype == x_dtype and xs[1].grad.dtype == p_dtype
        # sum(y) = sum(beta) + gamma * sum(x_hat): gbeta counts elements, gx vanishes.
        numpy.testing.assert_allclose(xs[2].grad, numpy.full(3, 8), rtol=1e-3)
        numpy.testing.assert_allclose(xs[0].grad, numpy.zeros(x.shape), atol=1e-2)
        fixed = [dchain.Variable(a) for a in (x, gamma, beta, mean, var)]
        y = F.fixed_batch_normalization(*fixed)
        assert y.dtype == x_dtype
        y.grad = numpy.ones_like(y.array)
        y.backward(enable_double_backprop=double)
        assert [v.grad.dtype for v in fixed] == [x_dtype] + [p_dtype] * 4

"""Variable operators ``+ - * / ** @``, unary ``-``, ``+`` and ``abs``: values, dtypes,
broadcasting, reflected forms with scalars and arrays, gradients of first and second order."""
import operator

import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import Variable
from dchain import gradient_check
from dchain.utils import type_check

OPS = {
    '+': operator.add,
    '-': operator.sub,
    '*': operator.mul,
    '/': operator.truediv,
    '**': operator.pow,
}


def _positive(shape, dtype):
    # Away from 0 so that division and powers are smooth; positive so that x ** y is real.
    return numpy.asarray(numpy.random.uniform(0.5, 2, shape), dtype)


def _tol(dtype):
    if dtype == numpy.float16:
        return {'atol': 5e-2, 'rtol': 5e-2}
    if dtype == numpy.float32:
        return {'atol': 1e-3, 'rtol': 1e-3}
    return {'atol': 1e-6, 'rtol': 1e-5}


def _check(func, inputs, out_shape, dtype, double=True):
    gy = numpy.asarray(numpy.random.uniform(-1, 1, out_shape), dtype)
    gradient_check.check_backward(func, inputs, gy, dtype=numpy.float64, **_tol(dtype))
    if double and dtype != numpy.float16:
        ggs = tuple(numpy.asarray(numpy.random.uniform(-1, 1, x.shape), dtype) for x in inputs)
        gradient_check.check_double_backward(func, inputs, gy, ggs, dtype=numpy.float64,
                                             atol=1e-3, rtol=1e-2)


@pytest.mark.parametrize('op', sorted(OPS))
@pytest.mark.parametrize('shapes', [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)),
                                    ((2, 3, 4), ())])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_variable_op_variable(op, shapes, dtype):
    f = OPS[op]
    a, b = _positive(shapes[0], dtype), _positive(shapes[1], dtype)
    y = f(Variable(a), Variable(b))
    expect = f(a.astype(numpy.float64), b.astype(numpy.float64))
    assert isinstance(y, Variable) and y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array, expect, **_tol(dtype))
    if b.ndim:  # gradient_check cannot perturb 0-d inputs
        _check(f, (a, b), expect.shape, dtype)


@pytest.mark.parametrize('op', sorted(OPS))
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_variable_op_array_and_reflected(op, dtype):
    f = OPS[op]
    a = _positive((3, 4), dtype)
    c = _positive((4,), dtype)
    # The constant follows x's dtype: check_backward evaluates in float64.
    for func, expect in [(lambda x: f(x, c.astype(x.dtype)), f(a, c)),
                         (lambda x: f(c.astype(x.dtype), x), f(c, a))]:
        y = func(Variable(a))
        assert isinstance(y, Variable) and y.dtype == dtype
        numpy.testing.assert_allclose(y.array, expect, **_tol(dtype))
        _check(func, (a,), expect.shape, dtype)


@pytest.mark.parametrize('op', sorted(OPS))
@pytest.mark.parametrize('scalar', [2, 0.5, numpy.float64(1.5), numpy.int32(3)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_variable_op_scalar_and_reflected(op, scalar, dtype):
    f = OPS[op]
    a = _positive((3, 4), dtype)
    for func, expect in [(lambda x: f(x, scalar), f(a.astype(numpy.float64), float(scalar))),
                         (lambda x: f(scalar, x), f(float(scalar), a.astype(numpy.float64)))]:
        y = func(Variable(a))
        # A scalar operand keeps the variable's dtype (no promotion to float64).
        assert isinstance(y, Variable) and y.dtype == dtype
        numpy.testing.assert_allclose(y.array, expect, **_tol(dtype))
        _check(func, (a,), a.shape, dtype)


def test_division_by_zero_scalar_follows_numpy():
    x = Variable(numpy.array([1., -1., 0.], numpy.float32))
    with numpy.errstate(divide='ignore', invalid='ignore'):
        y = (x / 0).array
    assert y[0] == numpy.inf and y[1] == -numpy.inf and numpy.isnan(y[2])


@pytest.mark.parametrize('a_shape,b_shape', [((3, 4), (4, 5)), ((2, 3, 4), (4, 2)),
                                             ((4,), (4, 3)), ((3, 4), (4,))])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_matmul_operator(a_shape, b_shape, dtype):
    a = numpy.random.uniform(-1, 1, a_shape).astype(dtype)
    b = numpy.random.uniform(-1, 1, b_shape).astype(dtype)
    expect = a.astype(numpy.float64) @ b
    for y in [Variable(a) @ Variable(b), Variable(a) @ b, a @ Variable(b)]:
        assert isinstance(y, Variable) and y.shape == expect.shape
        numpy.testing.assert_allclose(y.array, expect, **_tol(dtype))
    _check(operator.matmul, (a, b), expect.shape, dtype)
    _check(lambda x: x @ b.astype(x.dtype), (a,), expect.shape, dtype)
    _check(lambda x: a.astype(x.dtype) @ x, (b,), expect.shape, dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_unary(dtype):
    a = numpy.random.uniform(0.5, 2, (3, 4)) * numpy.random.choice([-1, 1], (3, 4))
    a = a.astype(dtype)
    x = Variable(a)
    numpy.testing.assert_array_equal((-x).array, -a)
    numpy.testing.assert_array_equal(abs(x).array, numpy.abs(a))
    assert (+x) is x
    assert (-x).dtype == dtype and abs(x).dtype == dtype
    _check(operator.neg, (a,), a.shape, dtype)
    _check(abs, (a,), a.shape, dtype)


def test_chained_expression_gradient():
    a = _positive((3,), numpy.float64)
    b = _positive((3,), numpy.float64)

    def f(x, y):
        return (x * y + 2) / (x + 3 * y) ** 2 - abs(-x) @ y * x

    _check(lambda x, y: F.reshape(f(x, y), (3,)), (a, b), (3,), numpy.float64)


def test_grad_of_grad_through_operators():
    x = Variable(numpy.array([1.5, 2.0]))
    y = x ** 3 - 2 * x
    gx, = dchain.grad([F.sum(y)], [x], enable_double_backprop=True)
    numpy.testing.assert_allclose(gx.array, 3 * x.array ** 2 - 2)
    ggx, = dchain.grad([F.sum(gx)], [x])
    numpy.testing.assert_allclose(ggx.array, 6 * x.array)


def test_bad_operands():
    x = Variable(numpy.ones((2, 3), numpy.float32))
    with pytest.raises(TypeError):
        x + 'a'
    with pytest.raises(TypeError):
        x * None
    with pytest.raises(type_check.InvalidType):
        x + numpy.ones((3, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        x * numpy.ones((2, 3), numpy.float64)
    with pytest.raises(type_check.InvalidType):
        x @ numpy.ones((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType):
        Variable(numpy.ones(3, numpy.int32)) ** Variable(numpy.ones(3, numpy.int32))


def test_constant_base_power_gradient():
    x = Variable(numpy.array([1.0, 2.0]))
    F.sum(3 ** x).backward()
    numpy.testing.assert_allclose(x.grad, 3 ** x.array * numpy.log(3))
    x.cleargrad()
    with numpy.errstate(invalid='ignore'):
        F.sum((-2.0) ** x).backward()  # numpy's answer (nan), not a math domain error
    assert numpy.all(numpy.isnan(x.grad))

"""Variable and Parameter: the seeds' autograd examples, attributes, operators, errors."""
import weakref

import numpy
import pytest

import dchain as chainer
from dchain import Variable
from dchain.utils import type_check


def test_seed_polynomial_scalar():
    x = Variable(numpy.array([5], dtype=numpy.float32))
    y = x ** 2 - 2 * x + 1
    assert y.array.tolist() == [16.0]
    assert y.data is y.array
    y.backward()
    assert x.grad.tolist() == [8.0]


def test_seed_retain_grad_intermediate():
    x = Variable(numpy.array([5], dtype=numpy.float32))
    z = 2 * x
    y = x ** 2 - z + 1
    y.backward(retain_grad=True)
    assert z.grad.tolist() == [-1.0]
    assert x.grad.tolist() == [8.0]


def test_intermediate_grad_released_without_retain_grad():
    x = Variable(numpy.array([5], dtype=numpy.float32))
    z = 2 * x
    y = x ** 2 - z + 1
    y.backward()
    assert z.grad is None


def test_seed_multi_element_needs_grad():
    x = Variable(numpy.array([[1, 2, 3], [4, 5, 6]], dtype=numpy.float32))
    y = x ** 2 - 2 * x + 1
    with pytest.raises(ValueError, match=r'set `grad`'):
        y.backward()
    y.grad = numpy.ones((2, 3), dtype=numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 2, 4], [6, 8, 10]])


def test_seed_higher_order_derivative():
    x = chainer.Variable(numpy.array([[0, 2, 3], [4, 5, 6]], dtype=numpy.float32))
    y = x ** 3
    y.grad = numpy.ones((2, 3), dtype=numpy.float32)
    y.backward(enable_double_backprop=True)
    numpy.testing.assert_array_equal(x.grad_var.array, [[0, 12, 27], [48, 75, 108]])
    assert x.grad_var.array is x.grad
    assert (x.grad == (3 * x ** 2).array).all()
    gx = x.grad_var
    x.cleargrad()
    gx.grad = numpy.ones((2, 3), dtype=numpy.float32)
    gx.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 12, 18], [24, 30, 36]])
    assert (x.grad == (6 * x).array).all()


def test_gradients_accumulate_until_cleared():
    x = Variable(numpy.array([1.0, 2.0], dtype=numpy.float32))
    for _ in range(2):
        y = chainer.functions.sum(x * 3)
        y.backward()
    numpy.testing.assert_array_equal(x.grad, [6, 6])
    x.cleargrad()
    assert x.grad is None


def test_same_gradient_object_not_shared_between_leaves():
    a = Variable(numpy.ones(3, dtype=numpy.float32))
    b = Variable(numpy.ones(3, dtype=numpy.float32))
    y = a + b
    y.grad = numpy.ones(3, dtype=numpy.float32)
    y.backward()
    assert a.grad is not b.grad
    a.grad *= 5  # an in-place hook on one gradient must not change another
    numpy.testing.assert_array_equal(b.grad, [1, 1, 1])
    numpy.testing.assert_array_equal(y.grad, [1, 1, 1])


def test_attributes():
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    x = Variable(a, name='x')
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.dtype == numpy.float32
    assert len(x) == 2
    assert x.name == 'x'
    assert x.creator is None and x.requires_grad
    numpy.testing.assert_array_equal(x.T.array, a.T)
    numpy.testing.assert_array_equal(x.reshape(3, 2).array, a.reshape(3, 2))
    numpy.testing.assert_array_equal(x.reshape((6,)).array, a.ravel())
    numpy.testing.assert_array_equal(x.transpose(1, 0).array, a.T)
    numpy.testing.assert_array_equal(x[1, 1:].array, a[1, 1:])
    assert x.xp is numpy
    assert str(x.device) == '@numpy'
    assert 'variable x(' in repr(x)
    y = x * 2
    assert y.creator is not None and y.creator_node is y.creator and y.rank == 1


def test_requires_grad_false_gets_no_grad():
    x = Variable(numpy.ones(2, dtype=numpy.float32), requires_grad=False)
    w = Variable(numpy.ones(2, dtype=numpy.float32))
    y = chainer.functions.sum(x * w)
    y.backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(w.grad, [1, 1])


@pytest.mark.parametrize('op, expected', [
    (lambda x, y: x + y, lambda a, b: a + b),
    (lambda x, y: x - y, lambda a, b: a - b),
    (lambda x, y: x * y, lambda a, b: a * b),
    (lambda x, y: x / y, lambda a, b: a / b),
    (lambda x, y: x ** y, lambda a, b: a ** b),
    (lambda x, y: x @ y, lambda a, b: a @ b),
])
def test_binary_operators_with_variables_arrays(op, expected):
    rng = numpy.random.RandomState(0)
    a = rng.uniform(0.5, 2, (3, 3)).astype(numpy.float32)
    b = rng.uniform(0.5, 2, (3, 3)).astype(numpy.float32)
    ref = expected(a, b)
    numpy.testing.assert_allclose(op(Variable(a), Variable(b)).array, ref, rtol=1e-6)
    numpy.testing.assert_allclose(op(Variable(a), b).array, ref, rtol=1e-6)
    numpy.testing.assert_allclose(op(a, Variable(b)).array, ref, rtol=1e-6)


@pytest.mark.parametrize('op', [
    lambda x: x + 2, lambda x: 2 + x, lambda x: x - 2, lambda x: 2 - x, lambda x: x * 2,
    lambda x: 2 * x, lambda x: x / 2, lambda x: 2 / x, lambda x: x ** 2, lambda x: 2 ** x,
    lambda x: -x, lambda x: abs(x), lambda x: x * numpy.float64(2),
])
def test_scalar_operators_keep_dtype_and_differentiate(op):
    a = numpy.array([0.5, 1.5, -2.0], dtype=numpy.float32)
    ref = op(a.astype(numpy.float64))
    y = op(Variable(a))
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-6)
    chainer.gradient_check.check_backward(
        op, a.astype(numpy.float64), numpy.ones(3), dtype=numpy.float64)


def test_unary_plus_is_identity():
    x = Variable(numpy.ones(2, dtype=numpy.float32))
    assert +x is x


def test_operator_rejects_unsupported_operand():
    with pytest.raises(TypeError, match='unsupported operand'):
        Variable(numpy.ones(2, dtype=numpy.float32)) + 'a'


def test_broadcasting_gradients_are_summed():
    x = Variable(numpy.ones((2, 3), dtype=numpy.float32))
    b = Variable(numpy.ones((3,), dtype=numpy.float32))
    y = chainer.functions.sum(x * b + b)
    y.backward()
    numpy.testing.assert_array_equal(b.grad, [4, 4, 4])
    assert x.grad.shape == (2, 3)


def test_mismatched_dtype_is_invalid_type():
    x = Variable(numpy.ones(3, dtype=numpy.float32))
    y = Variable(numpy.ones(3, dtype=numpy.float64))
    with pytest.raises(type_check.InvalidType) as e:
        x * y
    assert 'Mul' in str(e.value) and 'float64' in str(e.value)


def test_constructor_rejects_non_arrays():
    with pytest.raises(TypeError, match='numpy.ndarray'):
        Variable([1, 2, 3])


def test_grad_setter_checks_shape_and_dtype():
    x = Variable(numpy.ones(3, dtype=numpy.float32))
    with pytest.raises(ValueError, match='shape'):
        x.grad = numpy.ones(4, dtype=numpy.float32)
    with pytest.raises(TypeError, match='dtype'):
        x.grad = numpy.ones(3, dtype=numpy.float64)


def test_unchain_makes_leaf_and_stops_backprop():
    x = Variable(numpy.ones(2, dtype=numpy.float32))
    h = x * 2
    h.unchain()
    assert h.creator is None
    y = chainer.functions.sum(h * 3)
    y.backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(h.grad, [3, 3])


def test_unchain_backward_frees_earlier_graph():
    x = Variable(numpy.ones(2, dtype=numpy.float32))
    h = x * 2
    creator_ref = weakref.ref(h.creator)
    y = h * 3
    y.unchain_backward()
    assert y.creator is None
    del h
    assert creator_ref() is None


def test_graph_freed_when_output_dropped():
    x = Variable(numpy.ones((3, 3), dtype=numpy.float32))
    y = chainer.functions.tanh(x * 2)
    ref = weakref.ref(y.creator)
    del y
    assert ref() is None


def test_to_device_rejects_unknown_specifier():
    x = Variable(numpy.ones(2, dtype=numpy.float32))
    with pytest.raises(ValueError, match='unknown device specifier'):
        x.to_device('@tpu:0')
    assert x.to_cpu() is x and isinstance(x.array, numpy.ndarray)


@pytest.mark.skipif(chainer.cuda.available, reason='checks the message given without a GPU')
def test_to_gpu_without_cupy_says_how_to_install():
    x = Variable(numpy.ones(2, dtype=numpy.float32))
    with pytest.raises(RuntimeError, match=r'dchain\[gpu\]'):
        x.to_gpu()


def test_item_and_bool():
    x = Variable(numpy.array([3.0], dtype=numpy.float32))
    assert x.item() == 3.0
    with pytest.raises(ValueError):
        Variable(numpy.ones(2, dtype=numpy.float32)).item()
    with pytest.raises(NotImplementedError):
        x == x


def test_parameter_lazy_and_eager_initialization():
    p = chainer.Parameter(chainer.initializers.Constant(2.0))
    assert p.array is None and not p.is_initialized and p.dtype == numpy.float32
    p.initialize((2, 3))
    numpy.testing.assert_array_equal(p.array, numpy.full((2, 3), 2, numpy.float32))
    q = chainer.Parameter(numpy.arange(3, dtype=numpy.float64))
    assert q.dtype == numpy.float64 and q.shape == (3,)
    r = chainer.Parameter(0, (4,))
    numpy.testing.assert_array_equal(r.array, numpy.zeros(4, numpy.float32))
    s = chainer.Parameter(shape=(2,))
    assert numpy.isnan(s.array).all()
    with pytest.raises(TypeError, match='initializer'):
        chainer.Parameter('bad')


def test_parameter_copy_and_pickle():
    import copy
    import pickle
    p = chainer.Parameter(numpy.arange(3, dtype=numpy.float32), name='w')
    p.grad = numpy.ones(3, dtype=numpy.float32)
    q = pickle.loads(pickle.dumps(p))
    numpy.testing.assert_array_equal(q.array, p.array)
    numpy.testing.assert_array_equal(q.grad, p.grad)
    assert q.name == 'w' and isinstance(q, chainer.Parameter)
    r = copy.deepcopy(p)
    assert r.array is not p.array
    numpy.testing.assert_array_equal(r.array, p.array)

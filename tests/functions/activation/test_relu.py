"""Tests of F.relu."""
import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check

TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-4, rtol=1e-3),
       numpy.float64: dict(atol=1e-6, rtol=1e-5)}


# Every test runs twice: with the compiled kernels (where built) and with numpy.
pytestmark = pytest.mark.usefixtures('kernels')


def _input(shape, dtype):
    x = numpy.random.uniform(-1, 1, shape)
    x[numpy.abs(x) < 0.1] = 0.5  # stay away from the kink at 0
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(3, 4), (), (2, 3, 2)])
def test_forward(dtype, shape):
    x = _input(shape, dtype)
    y = F.relu(x)
    assert y.dtype == dtype and y.shape == shape
    numpy.testing.assert_array_equal(y.array, numpy.where(x > 0, x, 0))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_backward(dtype):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_backward(F.relu, x, gy, dtype=numpy.float64, **TOL[dtype])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_double_backward(dtype):
    x = _input((3, 4), dtype)
    gy = numpy.random.randn(3, 4).astype(dtype)
    ggx = numpy.random.randn(3, 4).astype(dtype)
    gradient_check.check_double_backward(F.relu, x, gy, ggx, dtype=numpy.float64,
                                         **TOL[dtype])


def test_grad_value():
    x = dchain.Variable(numpy.array([-1.0, 2.0, -3.0, 4.0], numpy.float32))
    F.sum(F.relu(x)).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 0, 1])


def test_node_object_as_layer():
    layer = F.ReLU()
    x = _input((2, 3), numpy.float32)
    numpy.testing.assert_array_equal(layer(x).array, numpy.maximum(x, 0))
    numpy.testing.assert_array_equal(layer(-x).array, numpy.maximum(-x, 0))


def test_invalid_dtype():
    with pytest.raises(type_check.InvalidType):
        F.relu(numpy.arange(4, dtype=numpy.int32))


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('layout', ['c', 'batch-last', 'strided'])
def test_gradient_in_any_layout(dtype, layout):
    # Activations of convolutions are (n, c, h, w) views of batch-last buffers; the gradient
    # that reaches relu has the same layout, or any other.
    base = _input((5, 3, 4, 2), dtype)
    if layout == 'batch-last':
        x = numpy.ascontiguousarray(base.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    elif layout == 'strided':
        x = numpy.concatenate([base, base], axis=3)[..., ::2]
    else:
        x = base
    xv = dchain.Variable(x)
    y = F.relu(xv)
    gy = numpy.random.randn(*x.shape).astype(dtype)
    y.grad = numpy.ascontiguousarray(gy) if layout == 'strided' else gy
    y.backward()
    assert xv.grad.dtype == dtype
    numpy.testing.assert_array_equal(xv.grad, numpy.where(x > 0, gy, 0))


# --- the output reuses the array of a temporary input --------------------------------------

def _temporary(x, arrays):
    """A Variable only the caller's call will hold; ``arrays`` gets a weak reference to its
    array (which does not keep it alive or count as a reference)."""
    import weakref
    v = dchain.Variable(x.copy())
    arrays.append(weakref.ref(v.array))
    return v


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_temporary_input_is_overwritten(dtype):
    x = _input((3, 4), dtype)
    arrays = []
    y = F.relu(_temporary(x, arrays))
    assert arrays[0]() is y.array
    numpy.testing.assert_array_equal(y.array, numpy.where(x > 0, x, 0))
    y.grad = numpy.ones_like(y.array)
    y.backward()    # backward reads only the output


def test_input_the_caller_keeps_is_not_overwritten():
    x = _input((3, 4), numpy.float32)
    v = dchain.Variable(x.copy())
    y = F.relu(v)
    assert y.array is not v.array
    numpy.testing.assert_array_equal(v.array, x)
    arrays = []
    held = [_temporary(x, arrays)]
    F.relu(held[0])
    numpy.testing.assert_array_equal(held[0].array, x)


def test_views_of_kept_arrays_are_not_overwritten():
    x = _input((4, 6), numpy.float32)
    h = dchain.Variable(x.copy())
    F.relu(F.reshape(h, (6, 4)))
    F.relu(F.transpose(h))
    F.relu(F.split_axis(h, 2, axis=1)[0])
    numpy.testing.assert_array_equal(h.array, x)


def test_output_the_graph_keeps_is_not_overwritten():
    # tanh keeps its output for backward: relu must not clip it.
    x = dchain.Variable(_input((3, 4), numpy.float64))
    y = F.relu(F.tanh(x))
    tanh_node = y.creator.inputs[0].creator
    numpy.testing.assert_array_equal(tanh_node.output_data[0], numpy.tanh(x.array))
    assert (tanh_node.output_data[0] < 0).any()
    # Gradients come out right whether or not an intermediate result was reused.
    gradient_check.check_backward(lambda v: F.relu(v * 3.0), x.array,
                                  numpy.random.uniform(-1, 1, (3, 4)), **TOL[numpy.float64])

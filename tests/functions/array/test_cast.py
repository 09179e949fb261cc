import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('in_type', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('out_type', [numpy.float16, numpy.float32, numpy.float64])
def test_cast(in_type, out_type):
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(in_type)
    y = F.cast(x, out_type)
    assert y.dtype == out_type
    numpy.testing.assert_array_equal(y.array, numpy.array(x.tolist(), dtype=out_type))
    if in_type == out_type:
        return
    tol = dict(atol=5e-3, rtol=5e-2) if numpy.float16 in (in_type, out_type) else \
        dict(atol=1e-4, rtol=1e-3)
    gy = numpy.random.uniform(-1, 1, (3, 4)).astype(out_type)
    xv = dchain.Variable(x)
    yv = F.cast(xv, out_type)
    yv.grad = gy
    yv.backward()
    assert xv.grad.dtype == in_type
    numpy.testing.assert_allclose(xv.grad, gy.astype(in_type), **tol)
    # Cast is linear, so a large step keeps float16 rounding out of the finite difference;
    # the numerical side keeps the original dtypes (dtype=float64 would feed the output a
    # float64 gradient).
    gradient_check.check_backward(lambda v: F.cast(v, out_type), x, gy, eps=0.25, **tol)
    ggx = numpy.random.uniform(-1, 1, (3, 4)).astype(in_type)
    gradient_check.check_double_backward(lambda v: F.cast(v, out_type), x, gy, ggx, eps=0.25,
                                         **tol)


def test_cast_same_type_returns_input_variable():
    x = dchain.Variable(numpy.ones(3, 'f'))
    assert F.cast(x, numpy.float32) is x
    assert isinstance(F.cast(numpy.ones(3, 'f'), 'float32'), dchain.Variable)


def test_cast_to_int_has_no_gradient_path():
    x = dchain.Variable(numpy.array([1.5, -2.5], 'f'))
    y = F.cast(x, numpy.int32)
    numpy.testing.assert_array_equal(y.array, [1, -2])


def test_cast_invalid():
    with pytest.raises(type_check.InvalidType):
        F.cast(numpy.arange(3, dtype=numpy.int32), numpy.float32)

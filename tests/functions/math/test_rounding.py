"""F.floor, F.ceil, F.fix, F.sign: values and dtype, no gradient, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import Variable
from dchain.utils import type_check

CASES = [(F.floor, numpy.floor), (F.ceil, numpy.ceil), (F.fix, numpy.fix),
         (F.sign, numpy.sign)]


@pytest.mark.parametrize('func,ref', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64, numpy.int32])
def test_values(func, ref, dtype):
    x = (numpy.random.uniform(-3, 3, (3, 4)) * (10 if dtype == numpy.int32 else 1)).astype(dtype)
    x[0, 0] = 0
    y = func(x)
    assert isinstance(y, Variable) and y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, ref(x).astype(dtype))


@pytest.mark.parametrize('func,ref', CASES)
def test_not_in_graph(func, ref):
    x = Variable(numpy.array([-1.5, 0.5, 2.5], numpy.float32))
    y = func(x)
    assert y.creator is None and not y.requires_grad
    numpy.testing.assert_array_equal(y.array, ref(x.array))


@pytest.mark.parametrize('func,ref', CASES)
def test_bad_inputs(func, ref):
    with pytest.raises(type_check.InvalidType):
        func(numpy.array([True, False]))
    with pytest.raises(TypeError):
        func([1.0, 2.0])

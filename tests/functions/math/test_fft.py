"""F.fft and F.ifft: values against numpy.fft, round trip, gradients, bad inputs."""
import numpy
import pytest

import dchain.functions as F
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('method,ref', [('fft', numpy.fft.fft), ('ifft', numpy.fft.ifft)])
@pytest.mark.parametrize('shape', [(5,), (2, 3, 4)])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_fft(method, ref, shape, dtype):
    func = getattr(F, method)
    r = numpy.random.uniform(-1, 1, shape).astype(dtype)
    i = numpy.random.uniform(-1, 1, shape).astype(dtype)
    yr, yi = func((r, i))
    expect = ref(r.astype(numpy.float64) + 1j * i)
    assert yr.dtype == dtype and yi.dtype == dtype
    numpy.testing.assert_allclose(yr.array, expect.real, rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(yi.array, expect.imag, rtol=1e-5, atol=1e-5)
    gys = tuple(numpy.random.uniform(-1, 1, shape).astype(dtype) for _ in range(2))

    def f(r, i):
        return func((r, i))
    tol = {'atol': 1e-4, 'rtol': 1e-3} if dtype == numpy.float32 else {}
    gradient_check.check_backward(f, (r, i), gys, dtype=numpy.float64, **tol)
    # Only the real part used: the imaginary output gets no gradient.
    gradient_check.check_backward(lambda r, i: f(r, i)[0], (r, i), gys[0],
                                  dtype=numpy.float64, **tol)
    if dtype == numpy.float64:
        ggs = tuple(numpy.random.uniform(-1, 1, shape) for _ in range(2))
        gradient_check.check_double_backward(f, (r, i), gys, ggs, dtype=numpy.float64)


def test_round_trip():
    r, i = numpy.random.rand(3, 8), numpy.random.rand(3, 8)
    br, bi = F.ifft(F.fft((r, i)))
    numpy.testing.assert_allclose(br.array, r, atol=1e-12)
    numpy.testing.assert_allclose(bi.array, i, atol=1e-12)


def test_bad_inputs():
    with pytest.raises(type_check.InvalidType):
        F.fft((numpy.ones(3, numpy.float32), numpy.ones(4, numpy.float32)))
    with pytest.raises(type_check.InvalidType):
        F.fft((numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float64)))
    with pytest.raises(type_check.InvalidType):
        F.ifft((numpy.ones((), numpy.float32), numpy.ones((), numpy.float32)))

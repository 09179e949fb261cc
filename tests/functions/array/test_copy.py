import numpy
import pytest

import dchain
import dchain.functions as F
from dchain import backend
from dchain import gradient_check
from dchain.utils import type_check


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('dst', [-1, '@numpy', None, backend.cpu_device, numpy])
def test_copy_to_cpu(dst, dtype):
    x = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    y = F.copy(x, dst)
    assert isinstance(y.array, numpy.ndarray)
    numpy.testing.assert_array_equal(y.array, x)
    assert not numpy.shares_memory(y.array, x)
    assert y.device == backend.cpu_device
    tol = dict(atol=5e-3, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-6, rtol=1e-5)
    gy = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    gradient_check.check_backward(lambda v: F.copy(v, dst), x, gy, dtype=numpy.float64, **tol)
    ggx = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    gradient_check.check_double_backward(lambda v: F.copy(v, dst), x, gy, ggx,
                                         dtype=numpy.float64, **tol)


def test_copy_gradient_lands_on_source():
    x = dchain.Variable(numpy.arange(3, dtype='f'))
    y = F.copy(x, '@numpy')
    F.sum(y * y).backward()
    numpy.testing.assert_array_equal(x.grad, 2 * numpy.arange(3, dtype='f'))


@pytest.mark.skipif(backend._gpu.available, reason='a GPU is present')
def test_copy_to_gpu_without_gpu_says_what_is_missing():
    with pytest.raises(backend.GpuUnavailableError):
        F.copy(numpy.ones(2, 'f'), '@cupy:0')
    with pytest.raises(backend.GpuUnavailableError):
        F.copy(numpy.ones(2, 'f'), 0)


def test_copy_bad_device():
    with pytest.raises(ValueError):
        F.copy(numpy.ones(2, 'f'), '@tpu')


def test_copy_invalid_inputs():
    with pytest.raises(type_check.InvalidType):
        F.Copy(None, -1).apply((numpy.ones(2, 'f'), numpy.ones(2, 'f')))


class _RecordingDevice(backend.CpuDevice):
    """A host device that records what it was asked to send (stands in for a GPU)."""

    name = '@recording'

    def __init__(self):
        self.sent = []

    def send_array(self, array):
        self.sent.append(array)
        return array.copy()


def test_copy_goes_through_device_objects():
    device = _RecordingDevice()
    x = dchain.Variable(numpy.arange(4, dtype='f'))
    y = F.copy(x, device)
    assert len(device.sent) == 1 and device.sent[0] is x.array
    numpy.testing.assert_array_equal(y.array, x.array)
    y.grad = numpy.full(4, 3, 'f')
    y.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.full(4, 3, 'f'))


def test_copy_accepts_dummy_cuda_device():
    y = F.copy(numpy.ones(2, 'f'), dchain.cuda.DummyDevice)
    assert isinstance(y.array, numpy.ndarray)


@pytest.mark.skipif(not backend._gpu.available, reason='needs a GPU')
@pytest.mark.parametrize('dst', [0, '@cupy:0'])
def test_copy_to_gpu_and_back(dst):
    cupy = backend._gpu.cupy
    x = dchain.Variable(numpy.arange(3, dtype='f'))
    y = F.copy(x, dst)
    assert isinstance(y.array, cupy.ndarray)
    z = F.copy(y * 2, -1)
    assert isinstance(z.array, numpy.ndarray)
    F.sum(z).backward()
    assert isinstance(x.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(x.grad, numpy.full(3, 2, 'f'))

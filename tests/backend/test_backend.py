"""Device specifiers, array modules and the CUDA helpers without a GPU."""
import numpy
import pytest

import dchain
from dchain import backend
from dchain.backends import cuda


@pytest.mark.parametrize('spec', ['@numpy', -1, None, numpy, backend.cpu_device])
def test_cpu_specifiers(spec):
    device = backend.get_device(spec)
    assert device == backend.cpu_device and device.xp is numpy and str(device) == '@numpy'


@pytest.mark.parametrize('spec', ['@tpu', 'cuda:0', '@cupy:x', 1.5, object()])
def test_unknown_specifier(spec):
    with pytest.raises(ValueError, match='specifier'):
        backend.get_device(spec)


def test_intel64_is_explicitly_unsupported():
    with pytest.raises(ValueError, match='not supported'):
        backend.get_device('@intel64')


@pytest.mark.skipif(cuda.available, reason='checks the behaviour without a GPU')
@pytest.mark.parametrize('spec', ['@cupy:0', 0, 3])
def test_gpu_request_without_cupy_says_what_to_install(spec):
    with pytest.raises(backend.GpuUnavailableError, match=r'pip install "dchain\[gpu\]"'):
        backend.get_device(spec)
    with pytest.raises(RuntimeError, match='gpu'):
        cuda.to_gpu(numpy.ones(2))


def test_send_and_array_module():
    a = numpy.ones(3)
    assert backend.cpu_device.send(a) is a
    nested = backend.cpu_device.send({'a': [a, (a, None)]})
    assert nested['a'][0] is a and nested['a'][1][1] is None
    assert backend.get_array_module(a) is numpy
    assert backend.get_array_module(dchain.Variable(a)) is numpy
    assert backend.get_device_from_array(a) == backend.cpu_device
    with pytest.raises(TypeError, match='cannot send'):
        backend.cpu_device.send('text')


def test_copyto():
    dst = numpy.zeros(3)
    backend.copyto(dst, numpy.arange(3.0))
    numpy.testing.assert_array_equal(dst, [0, 1, 2])


def test_cuda_module_on_host():
    assert cuda.to_cpu(numpy.ones(2)).sum() == 2
    assert cuda.get_device_from_id(None) is cuda.DummyDevice
    assert cuda.get_device_from_array(numpy.ones(1)) is cuda.DummyDevice
    with cuda.DummyDevice:
        pass
    assert cuda.get_array_module(numpy.ones(1)) is numpy
    assert dchain.cuda is cuda


def test_device_contexts_nest():
    from dchain.backend import _device
    device = backend.cpu_device
    with device:
        with device:
            assert len(_device._context_stack(device)) == 2
        with backend.using_device('@numpy'):
            assert len(_device._context_stack(device)) == 2
        assert len(_device._context_stack(device)) == 1
    assert _device._context_stack(device) == []


def test_integer_strings_from_command_lines():
    assert backend.get_device('-1') == backend.cpu_device
    if not cuda.available:
        with pytest.raises(backend.GpuUnavailableError):
            backend.get_device('0')

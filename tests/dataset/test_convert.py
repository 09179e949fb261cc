import numpy
import pytest

import dchain
from dchain import backend
from dchain.dataset import Converter, concat_examples, converter, to_device
from dchain.dataset.convert import _call_converter


def test_tuples_become_tuple_of_arrays():
    rng = numpy.random.RandomState(0)
    xs = [rng.rand(3, 2).astype(numpy.float32) for _ in range(4)]
    ts = [numpy.int32(i) for i in range(4)]
    x, t = concat_examples(list(zip(xs, ts)))
    numpy.testing.assert_array_equal(x, numpy.array(xs))
    assert x.dtype == numpy.float32 and x.shape == (4, 3, 2)
    assert t.dtype == numpy.int32 and t.tolist() == [0, 1, 2, 3]


def test_plain_arrays_and_python_scalars():
    out = concat_examples([numpy.arange(3), numpy.arange(3) + 1])
    numpy.testing.assert_array_equal(out, [[0, 1, 2], [1, 2, 3]])
    out = concat_examples([1.5, 2.5])
    assert isinstance(out, numpy.ndarray) and out.tolist() == [1.5, 2.5]


def test_dicts():
    batch = [{'x': numpy.full(2, i, numpy.float32), 'y': i} for i in range(3)]
    out = concat_examples(batch)
    assert set(out) == {'x', 'y'}
    numpy.testing.assert_array_equal(out['x'][:, 0], [0, 1, 2])
    assert out['y'].tolist() == [0, 1, 2]


def test_ragged_without_padding_names_shapes():
    batch = [(numpy.zeros(3), 0), (numpy.zeros(5), 1)]
    with pytest.raises(ValueError, match=r'\(3,\).*\(5,\)'):
        concat_examples(batch)


def test_padding():
    batch = [(numpy.array([1, 2], numpy.int32), numpy.ones((1, 2))),
             (numpy.array([3], numpy.int32), numpy.ones((2, 1)))]
    x, y = concat_examples(batch, padding=-1)
    numpy.testing.assert_array_equal(x, [[1, 2], [3, -1]])
    assert x.dtype == numpy.int32
    numpy.testing.assert_array_equal(y, [[[1, 1], [-1, -1]], [[1, -1], [1, -1]]])
    x, y = concat_examples(batch, padding=(0, 9))
    numpy.testing.assert_array_equal(x, [[1, 2], [3, 0]])
    assert y[0, 1, 0] == 9
    out = concat_examples([{'a': numpy.array([1.])}, {'a': numpy.array([2., 3.])}],
                          padding={'a': 7})
    numpy.testing.assert_array_equal(out['a'], [[1, 7], [2, 3]])


def test_empty_batch():
    with pytest.raises(ValueError, match='empty'):
        concat_examples([])


@pytest.mark.parametrize('device', [None, -1, '@numpy', backend.get_device('@numpy')])
def test_device_specifiers_on_host(device):
    x, = concat_examples([(numpy.zeros(2),)], device)
    assert isinstance(x, numpy.ndarray)
    assert concat_examples([numpy.ones(1)], device=device).shape == (1, 1)


def test_to_device():
    a = numpy.arange(3)
    assert to_device(None, a) is a
    assert to_device(-1, a) is a
    out = to_device('@numpy', (a, [a], {'k': a}))
    assert out[1][0] is a and out[2]['k'] is a
    with pytest.raises(ValueError):
        to_device('@nowhere', a)


def test_converter_decorator_resolves_device():
    seen = []

    @converter()
    def conv(batch, device):
        seen.append(device)
        return len(batch)

    @converter
    def conv2(batch, device, scale=1):
        return device, scale

    assert isinstance(conv, Converter) and isinstance(concat_examples, Converter)
    assert conv([1, 2], -1) == 2
    assert seen[-1] == backend.get_device('@numpy')
    conv([1], None)
    assert seen[-1] is None
    assert conv2([], '@numpy', scale=3) == (backend.cpu_device, 3)
    assert conv.__name__ == 'conv'


def test_call_converter_legacy_and_new():
    def legacy(batch, device):
        return device

    assert _call_converter(legacy, [], -1) == -1
    assert _call_converter(converter(legacy), [], -1) == backend.cpu_device


def test_exported_from_dchain():
    assert dchain.dataset.concat_examples is concat_examples

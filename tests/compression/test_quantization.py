"""int8 per-channel weight quantization and its compact serialization."""
import numpy
import pytest

import dchain.links as L
from dchain import compression
from dchain import serializers


def test_quantize_int8_per_channel():
    rng = numpy.random.RandomState(0)
    w = rng.normal(0, 1, (4, 6)).astype(numpy.float32) * numpy.array([[1], [10], [0.1], [0]],
                                                                        numpy.float32)
    q, scale = compression.quantize_int8(w)
    assert q.dtype == numpy.int8 and scale.dtype == numpy.float32 and scale.shape == (4, 1)
    expected_scale = numpy.abs(w).max(axis=1, keepdims=True) / 127
    numpy.testing.assert_allclose(scale[:3], expected_scale[:3], rtol=1e-6)
    assert scale[3, 0] == 1 and not q[3].any()  # all-zero channel
    numpy.testing.assert_array_equal(numpy.abs(q[:3]).max(axis=1), 127)
    numpy.testing.assert_array_equal(q, numpy.rint(w / scale).astype(numpy.int8))
    restored = compression.dequantize_int8(q, scale)
    assert numpy.all(numpy.abs(restored - w) <= scale / 2 * (1 + 1e-6))


def test_quantize_int8_other_axis():
    w = numpy.random.RandomState(1).normal(0, 1, (3, 5, 2))
    q, scale = compression.quantize_int8(w, axis=1)
    assert scale.shape == (1, 5, 1)
    numpy.testing.assert_allclose(scale.ravel(), numpy.abs(w).max(axis=(0, 2)) / 127, rtol=1e-6)
    with pytest.raises(ValueError):
        compression.quantize_int8(numpy.float32(3.0) * numpy.ones(()))


def test_quantized_file_round_trip(tmp_path):
    src = L.Linear(20, 30)
    src.b.array[...] = numpy.arange(30)
    path = str(tmp_path / 'q.npz')
    quantized = compression.save_quantized(path, src)
    with numpy.load(path) as f:
        assert sorted(f.files) == ['W/q', 'W/scale', 'b']
        assert f['W/q'].dtype == numpy.int8
    assert quantized.nbytes == 30 * 20 + 30 * 4 + 30 * 4  # int8 codes, float32 scales and bias
    dst = L.Linear(20, 30)
    compression.load_quantized(path, dst)
    q, scale = compression.quantize_int8(src.W.array)
    numpy.testing.assert_array_equal(dst.W.array, q * scale)
    numpy.testing.assert_array_equal(dst.b.array, src.b.array)
    assert dst.W.array.dtype == numpy.float32


def test_quantized_load_into_other_shape(tmp_path):
    path = str(tmp_path / 'q.npz')
    compression.save_quantized(path, L.Linear(20, 30))
    with pytest.raises(ValueError, match='shape'):
        compression.load_quantized(path, L.Linear(20, 10))


def test_quantized_link_with_hdf5(tmp_path):
    pytest.importorskip('h5py')
    src = L.Linear(8, 4)
    path = str(tmp_path / 'q.h5')
    serializers.save_hdf5(path, compression.QuantizedLink(src))
    dst = L.Linear(8, 4)
    loaded = compression.QuantizedLink(dst, quantize=False)
    serializers.load_hdf5(path, loaded)
    loaded.dequantize()
    numpy.testing.assert_allclose(dst.W.array, src.W.array,
                                  atol=float(numpy.abs(src.W.array).max()) / 127)


def test_quantizer_callable_form(tmp_path):
    model = L.Linear(8, 4)
    original = model.W.array.copy()
    x = numpy.random.RandomState(0).normal(0, 1, (3, 8)).astype(numpy.float32)
    quantized = compression.Quantizer()(model)
    q, scale = compression.quantize_int8(original)
    numpy.testing.assert_array_equal(model.W.array, q * scale)  # the model now computes in int8
    numpy.testing.assert_array_equal(quantized(x).array, model(x).array)
    path = str(tmp_path / 'q.npz')
    serializers.save_npz(path, quantized)
    restored = L.Linear(8, 4)
    compression.load_quantized(path, restored)
    numpy.testing.assert_array_equal(restored.W.array, model.W.array)

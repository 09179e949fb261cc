"""Tests of the model-zoo networks L.VGG16Layers and L.ResNet50/101/152Layers.

Each big network is built once per module (random weights are the slow part); inputs are
tiny wherever the architecture allows (ResNet takes 32x32; VGG's fc6 needs 224x224, so the
full VGG runs once on one image and the rest stops at intermediate layers).
"""
import io
import os

import numpy
import pytest

import dchain
import dchain.functions as F
import dchain.links as L
from dchain.dataset import download
from dchain.links.model.vision import _common
from dchain.links.model.vision import resnet as resnet_module
from dchain.links.model.vision import vgg as vgg_module


def _image(rng, size=(32, 32)):
    return rng.uniform(0, 255, (3,) + size).astype(numpy.float32)


@pytest.fixture(scope='module')
def resnet50():
    numpy.random.seed(0)
    return L.ResNet50Layers(pretrained_model=None)


@pytest.fixture(scope='module')
def vgg16():
    numpy.random.seed(1)
    return L.VGG16Layers(pretrained_model=None)


# ---------------------------------------------------------------- exports and layer lists

def test_exports():
    assert L.VGG16Layers is vgg_module.VGG16Layers
    assert L.VGG19Layers is vgg_module.VGG19Layers
    assert L.ResNet50Layers is resnet_module.ResNet50Layers
    assert L.ResNet101Layers is resnet_module.ResNet101Layers
    assert L.ResNet152Layers is resnet_module.ResNet152Layers
    from dchain.links import VGG16Layers  # noqa: F401  (the seeds' import)


def test_resnet_available_layers(resnet50):
    assert resnet50.available_layers == [
        'conv1', 'pool1', 'res2', 'res3', 'res4', 'res5', 'pool5', 'fc6', 'prob']
    assert list(resnet50.functions.keys()) == resnet50.available_layers
    assert resnet50.functions['conv1'][0] is resnet50.conv1


def test_resnet_structure(resnet50):
    # Block counts 3, 4, 6, 3 and Chainer's parameter names (so Chainer-converted npz load).
    counts = [len(list(getattr(resnet50, f'res{i}').children())) for i in range(2, 6)]
    assert counts == [3, 4, 6, 3]
    names = dict(resnet50.namedparams())
    assert names['/res3/a/conv4/W'].shape == (512, 256, 1, 1)
    assert names['/res4/b5/bn3/gamma'].shape == (1024,)
    assert names['/conv1/W'].shape == (64, 3, 7, 7)
    assert names['/fc6/W'].shape == (1000, 2048)
    # ResNet-50 has about 25.6 million parameters.
    assert 25.5e6 < sum(p.size for p in resnet50.params()) < 25.7e6


def test_vgg_available_layers_and_size(vgg16):
    layers = vgg16.available_layers
    assert layers[:3] == ['conv1_1', 'conv1_2', 'pool1']
    assert layers[-4:] == ['fc6', 'fc7', 'fc8', 'prob']
    assert sum(name.startswith('conv') for name in layers) == 13
    assert sum(name.startswith('pool') for name in layers) == 5
    # VGG-16 has 138,357,544 parameters.
    assert sum(p.size for p in vgg16.params()) == 138357544


# ---------------------------------------------------------------- forward / backward

def test_resnet_forward_shapes(resnet50):
    x = numpy.random.RandomState(2).randn(2, 3, 32, 32).astype(numpy.float32)
    with dchain.using_config('train', False):
        out = resnet50(x, layers=['conv1', 'pool1', 'res2', 'res5', 'pool5', 'fc6', 'prob'])
    assert out['conv1'].shape == (2, 64, 16, 16)
    assert out['pool1'].shape == (2, 64, 8, 8)
    assert out['res2'].shape == (2, 256, 8, 8)
    assert out['res5'].shape == (2, 2048, 1, 1)
    assert out['pool5'].shape == (2, 2048)
    assert out['fc6'].shape == (2, 1000)
    prob = out['prob'].array
    numpy.testing.assert_allclose(prob.sum(axis=1), 1, rtol=1e-5)
    numpy.testing.assert_allclose(out['pool5'].array, out['res5'].array.reshape(2, 2048),
                                  rtol=1e-6)
    # ReLU outputs.
    assert (out['res5'].array >= 0).all()


def test_resnet_default_layer_is_prob(resnet50):
    x = numpy.random.RandomState(3).randn(1, 3, 32, 32).astype(numpy.float32)
    with dchain.using_config('train', False):
        out = resnet50(x)
    assert list(out) == ['prob']


def test_resnet_backward_train_mode(resnet50):
    x = dchain.Variable(numpy.random.RandomState(4).randn(2, 3, 32, 32).astype(numpy.float32))
    resnet50.cleargrads()
    mean_before = resnet50.bn1.avg_mean.copy()
    t = numpy.array([1, 7], dtype=numpy.int32)
    loss = F.softmax_cross_entropy(resnet50(x, layers=['fc6'])['fc6'], t)
    loss.backward()
    assert x.grad is not None and x.grad.shape == x.shape
    for name, p in resnet50.namedparams():
        assert p.grad is not None, name
        assert numpy.isfinite(p.grad).all(), name
    assert numpy.abs(resnet50.fc6.W.grad).max() > 0
    assert numpy.abs(resnet50.conv1.W.grad).max() > 0
    # Training mode updates the running statistics.
    assert not numpy.array_equal(mean_before, resnet50.bn1.avg_mean)
    resnet50.cleargrads()


def test_forward_stops_at_last_requested_layer(resnet50):
    calls = []
    original = resnet50.res3.forward
    resnet50.res3.forward = lambda x: calls.append(1) or original(x)
    try:
        x = numpy.zeros((1, 3, 32, 32), numpy.float32)
        with dchain.using_config('train', False):
            out = resnet50(x, layers=['pool1'])
    finally:
        del resnet50.res3.forward
    assert list(out) == ['pool1'] and calls == []


def test_forward_bad_arguments(resnet50):
    x = numpy.zeros((1, 3, 32, 32), numpy.float32)
    with pytest.raises(ValueError, match='res9'):
        resnet50(x, layers=['res9'])
    with pytest.raises(TypeError, match='layers'):
        resnet50(x, layers='prob')
    with pytest.raises(ValueError, match='test'):
        resnet50(x, test=True)
    with pytest.raises(ValueError, match='no_backprop_mode'):
        resnet50.extract([x[0]], size=None, volatile=True)
    with pytest.raises(TypeError, match='bogus'):
        resnet50.extract([x[0]], size=None, bogus=1)
    with pytest.raises(ValueError, match='n_layers'):
        resnet_module.ResNetLayers(None, 34)
    with pytest.raises(ValueError, match='n_layers'):
        vgg_module.VGGLayers(None, n_layers=11)


def test_vgg_full_network_one_image(vgg16):
    x = numpy.random.RandomState(5).uniform(-100, 100, (1, 3, 224, 224)).astype(numpy.float32)
    with dchain.using_config('train', False), dchain.no_backprop_mode():
        out = vgg16(x, layers=['conv1_2', 'pool1', 'pool5', 'fc6', 'fc7', 'fc8', 'prob'])
    assert out['conv1_2'].shape == (1, 64, 224, 224)
    assert out['pool1'].shape == (1, 64, 112, 112)
    assert out['pool5'].shape == (1, 512, 7, 7)
    assert out['fc7'].shape == (1, 4096)
    assert out['fc8'].shape == (1, 1000)
    numpy.testing.assert_allclose(out['prob'].array.sum(), 1, rtol=1e-5)
    # fc8 is fc7 through the last linear layer (no dropout at test time).
    expected = out['fc7'].array @ vgg16.fc8.W.array.T + vgg16.fc8.b.array
    numpy.testing.assert_allclose(out['fc8'].array, expected, rtol=1e-4, atol=1e-5)


def test_vgg_backward_to_intermediate_layer(vgg16):
    vgg16.cleargrads()
    x = dchain.Variable(numpy.random.RandomState(6).randn(1, 3, 16, 16).astype(numpy.float32))
    out = vgg16(x, layers=['pool2', 'conv3_1'])
    assert out['pool2'].shape == (1, 128, 4, 4)
    F.sum(out['conv3_1']).backward()
    assert x.grad.shape == x.shape and numpy.abs(x.grad).max() > 0
    assert vgg16.conv1_1.W.grad is not None and numpy.abs(vgg16.conv3_1.W.grad).max() > 0
    assert vgg16.conv3_2.W.grad is None  # never reached
    vgg16.cleargrads()


# ---------------------------------------------------------------- save / load / pretrained

def test_resnet_save_load_pretrained_path(resnet50, tmp_path):
    path = str(tmp_path / 'resnet50.npz')
    dchain.serializers.save_npz(path, resnet50, compression=False)
    x = numpy.random.RandomState(7).randn(1, 3, 32, 32).astype(numpy.float32)

    fresh = L.ResNet50Layers(pretrained_model=None)
    dchain.serializers.load_npz(path, fresh)
    loaded = L.ResNet50Layers(pretrained_model=path)
    with dchain.using_config('train', False):
        expected = resnet50(x, layers=['prob', 'pool5'])
        for other in (fresh, loaded):
            got = other(x, layers=['prob', 'pool5'])
            numpy.testing.assert_array_equal(got['pool5'].array, expected['pool5'].array)
            numpy.testing.assert_array_equal(got['prob'].array, expected['prob'].array)
    numpy.testing.assert_array_equal(loaded.res4.b2.bn1.avg_var, resnet50.res4.b2.bn1.avg_var)


def test_vgg_pretrained_file_round_trip(vgg16):
    # An in-memory file: writing (and fsync-ing) 550 MB to disk would dominate the run; the
    # path route is the same code and is tested with ResNet-50 above.
    buf = io.BytesIO()
    dchain.serializers.save_npz(buf, vgg16, compression=False)
    buf.seek(0)
    loaded = L.VGG16Layers(pretrained_model=buf)
    for (name, p), (name2, q) in zip(sorted(vgg16.namedparams()),
                                     sorted(loaded.namedparams())):
        assert name == name2
        numpy.testing.assert_array_equal(p.array, q.array)
    x = numpy.random.RandomState(8).randn(1, 3, 16, 16).astype(numpy.float32)
    with dchain.using_config('train', False):
        numpy.testing.assert_array_equal(loaded(x, layers=['pool4'])['pool4'].array,
                                         vgg16(x, layers=['pool4'])['pool4'].array)


def test_auto_without_file_fails_at_once_naming_path(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    for cls, filename in ((L.ResNet50Layers, 'ResNet-50-model.npz'),
                          (L.ResNet152Layers, 'ResNet-152-model.npz'),
                          (L.VGG16Layers, 'VGG_ILSVRC_16_layers.npz')):
        with pytest.raises(FileNotFoundError) as info:
            cls()
        message = str(info.value)
        assert str(tmp_path / 'pfnet' / 'chainer' / 'models' / filename) in message
        assert 'pretrained_model' in message
    # Nothing was created in the cache.
    assert list(tmp_path.iterdir()) == []

    # It fails before building anything (no seconds lost filling weights first).
    def no_building(*args, **kwargs):
        raise AssertionError('the network was built before the missing file was reported')

    monkeypatch.setattr(resnet_module, 'Convolution2D', no_building)
    monkeypatch.setattr(vgg_module, 'Convolution2D', no_building)
    with pytest.raises(FileNotFoundError):
        L.ResNet101Layers()
    with pytest.raises(FileNotFoundError):
        L.VGG19Layers()


def test_auto_loads_file_from_cache(resnet50, tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(tmp_path))
    if download._root_override is not None:
        pytest.skip('dataset root overridden in this process')
    path = _common.pretrained_path('ResNet-50-model.npz')
    assert path.startswith(str(tmp_path))
    os.makedirs(os.path.dirname(path))
    dchain.serializers.save_npz(path, resnet50, compression=False)
    model = L.ResNet50Layers()
    numpy.testing.assert_array_equal(model.fc6.W.array, resnet50.fc6.W.array)


def test_missing_path_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.npz'):
        L.ResNet50Layers(pretrained_model=str(tmp_path / 'nope.npz'))


def test_deeper_resnets_block_counts():
    # ResNet-101/152 differ from ResNet-50 only in their block counts; building them would
    # cost seconds of random draws, so check the counts and a small BuildingBlock.
    block = resnet_module.BuildingBlock(3, 64, 16, 32, 2, downsample_fb=True)
    assert [name for name, _ in sorted(block.namedlinks(skipself=True))
            if name.count('/') == 1] == ['/a', '/b1', '/b2']
    # downsample_fb strides in the 3x3 convolution.
    h = block.a.conv1(numpy.zeros((1, 64, 8, 8), numpy.float32))
    assert h.shape == (1, 16, 8, 8) and block.a.conv2(h).shape == (1, 16, 4, 4)
    assert resnet_module._BLOCKS[101] == (3, 4, 23, 3)
    assert resnet_module._BLOCKS[152] == (3, 8, 36, 3)
    y = block(numpy.zeros((1, 64, 8, 8), numpy.float32))
    assert y.shape == (1, 32, 4, 4)


# ---------------------------------------------------------------- prepare, extract, predict

def test_prepare_array_without_resize():
    rng = numpy.random.RandomState(9)
    img = _image(rng, (5, 6))
    out = resnet_module.prepare(img, size=None)
    assert out.shape == (3, 5, 6) and out.dtype == numpy.float32
    expected = img[::-1] - resnet_module.MEAN_BGR[:, None, None]
    numpy.testing.assert_allclose(out, expected, rtol=1e-6)
    out = vgg_module.prepare(img, size=(5, 6))
    numpy.testing.assert_allclose(out, img[::-1] - vgg_module.MEAN_BGR[:, None, None],
                                  rtol=1e-6)


def test_prepare_pil_and_resize():
    Image = pytest.importorskip('PIL.Image')
    rgb = numpy.zeros((10, 12, 3), numpy.uint8)
    rgb[..., 0] = 200  # red
    rgb[..., 2] = 50   # blue
    out = vgg_module.prepare(Image.fromarray(rgb), size=(4, 8))
    assert out.shape == (3, 4, 8)
    numpy.testing.assert_allclose(out[0], 50 - vgg_module.MEAN_BGR[0])   # B
    numpy.testing.assert_allclose(out[2], 200 - vgg_module.MEAN_BGR[2])  # R
    # An array is resized through Pillow too.
    out2 = vgg_module.prepare(rgb.transpose(2, 0, 1).astype(numpy.float32), size=(4, 8))
    numpy.testing.assert_allclose(out2, out, atol=1e-4)
    # A grayscale image is converted to RGB.
    gray = Image.fromarray(numpy.full((6, 6), 100, numpy.uint8))
    assert resnet_module.prepare(gray, size=None).shape == (3, 6, 6)


def test_prepare_bad_shape_and_missing_pillow(monkeypatch):
    with pytest.raises(ValueError, match='shape'):
        vgg_module.prepare(numpy.zeros((4, 5, 5), numpy.float32))
    import builtins
    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == 'PIL' or name.startswith('PIL.'):
            raise ImportError('no PIL here')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', no_pil)
    with pytest.raises(ImportError, match='Pillow'):
        vgg_module.prepare(numpy.zeros((3, 5, 5), numpy.float32), size=(4, 4))
    # No resize: numpy only.
    assert vgg_module.prepare(numpy.zeros((3, 5, 5), numpy.float32), size=None).shape == \
        (3, 5, 5)


def test_oversample_crops():
    x = numpy.arange(2 * 1 * 4 * 5, dtype=numpy.float32).reshape(2, 1, 4, 5)
    crops = _common.oversample(x, (2, 3))
    assert crops.shape == (20, 1, 2, 3)
    numpy.testing.assert_array_equal(crops[0], x[0, :, 0:2, 0:3])
    numpy.testing.assert_array_equal(crops[1], x[0, :, 0:2, 2:5])
    numpy.testing.assert_array_equal(crops[2], x[0, :, 2:4, 0:3])
    numpy.testing.assert_array_equal(crops[3], x[0, :, 2:4, 2:5])
    numpy.testing.assert_array_equal(crops[4], x[0, :, 1:3, 1:4])
    numpy.testing.assert_array_equal(crops[5], x[0, :, 0:2, 0:3][:, :, ::-1])
    numpy.testing.assert_array_equal(crops[14], x[1, :, 1:3, 1:4])
    numpy.testing.assert_array_equal(crops[19], x[1, :, 1:3, 1:4][:, :, ::-1])
    with pytest.raises(ValueError):
        _common.oversample(x, (5, 5))


def test_extract(resnet50):
    rng = numpy.random.RandomState(10)
    images = [_image(rng), _image(rng)]
    with dchain.using_config('train', False):
        feats = resnet50.extract(images, size=None)
        assert list(feats) == ['pool5'] and feats['pool5'].shape == (2, 2048)
        x = numpy.stack([resnet_module.prepare(img, None) for img in images])
        direct = resnet50(x, layers=['pool5', 'res3'])
        numpy.testing.assert_allclose(feats['pool5'].array, direct['pool5'].array, rtol=1e-5,
                                      atol=1e-6)
        feats = resnet50.extract(images, layers=['res3'], size=None)
        numpy.testing.assert_allclose(feats['res3'].array, direct['res3'].array, rtol=1e-5,
                                      atol=1e-6)


def test_predict_small_crops(resnet50):
    # predict resizes to 256 and crops 224; shrink both on this instance to stay fast.
    rng = numpy.random.RandomState(11)
    images = [_image(rng, (40, 40)), _image(rng, (40, 40))]
    resnet50._predict_size, resnet50._crop_size = (40, 40), (32, 32)
    try:
        with dchain.using_config('train', True):  # predict forces test mode itself
            y = resnet50.predict(images, oversample=True)
            y_center = resnet50.predict(images, oversample=False)
    finally:
        del resnet50._predict_size, resnet50._crop_size
    assert y.shape == (2, 1000) and y.creator is None
    numpy.testing.assert_allclose(y.array.sum(axis=1), 1, rtol=1e-5)
    x = numpy.stack([resnet_module.prepare(img, None) for img in images])
    with dchain.using_config('train', False):
        probs = resnet50(_common.oversample(x, (32, 32)), layers=['prob'])['prob'].array
        center = resnet50(numpy.ascontiguousarray(x[:, :, 4:36, 4:36]),
                          layers=['prob'])['prob'].array
    numpy.testing.assert_allclose(y.array, probs.reshape(2, 10, 1000).mean(axis=1),
                                  rtol=1e-4, atol=1e-7)
    numpy.testing.assert_allclose(y_center.array, center, rtol=1e-4, atol=1e-7)

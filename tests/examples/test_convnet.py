"""The convnet example: each architecture trains a few iterations on the offline digits."""
import importlib.util
import json
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, 'examples', 'convnet', 'train_convnet.py')

pytest.importorskip('sklearn')


def _env():
    env = dict(os.environ, PYTHONPATH=ROOT, OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1')
    return env


def _load_module():
    spec = importlib.util.spec_from_file_location('train_convnet_example', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help():
    out = subprocess.run([sys.executable, SCRIPT, '--help'], env=_env(), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for flag in ('--arch', '--dataset', '--device', '--out', '--epoch'):
        assert flag in out.stdout


def test_lenet5_as_a_program(tmp_path):
    out = subprocess.run(
        [sys.executable, SCRIPT, '--arch', 'lenet5', '--iteration', '4', '--batchsize', '16',
         '--n-examples', '64', '--device', '-1', '--out', str(tmp_path), '--no-progress'],
        env=_env(), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 'test accuracy:' in out.stdout.splitlines()[-1]
    log = json.load(open(tmp_path / 'log'))
    assert log[-1]['iteration'] == 4
    assert 0. <= log[-1]['validation/main/accuracy'] <= 1.
    assert numpy.isfinite(log[-1]['main/loss'])
    with numpy.load(tmp_path / 'model.npz') as f:
        assert any(k.endswith('conv1/W') for k in f.files)
    png = (tmp_path / 'accuracy.png').read_bytes()
    assert png.startswith(b'\x89PNG\r\n\x1a\n')


@pytest.mark.parametrize('arch', ['vgg', 'resnet'])
def test_arch_trains(arch, tmp_path):
    module = _load_module()
    acc = module.main(['--arch', arch, '--iteration', '2', '--batchsize', '8',
                       '--n-examples', '16', '--out', str(tmp_path), '--no-progress',
                       '--no-plot'])
    assert 0. <= acc <= 1.
    log = json.load(open(tmp_path / 'log'))
    assert log[-1]['iteration'] == 2 and numpy.isfinite(log[-1]['main/loss'])
    assert os.path.getsize(tmp_path / 'model.npz') > 0


def test_digits_are_upsampled_to_28x28():
    module = _load_module()
    train, test = module.load_dataset('digits')
    x, t = train[0]
    assert x.shape == (1, 28, 28) and x.dtype == numpy.float32
    # The 2-pixel border is padding; the centre holds the 8x8 image repeated 3x3.
    assert not x[:, :2].any() and not x[:, :, -2:].any()
    assert x[0, 2:5, 2:5].min() == x[0, 2:5, 2:5].max()
    assert len(train) + len(test) == 1797


def make_fake_cifar10(root, n_per_batch=8, seed=0):
    """A tiny cifar-10-python.tar.gz in the published layout (Python pickles of byte-keyed
    dicts with 'data' (N, 3072) uint8 rows and 'labels') under ``root/cifar/raw/``."""
    import io
    import pickle
    import tarfile
    rng = numpy.random.RandomState(seed)
    raw = root / 'cifar' / 'raw'
    raw.mkdir(parents=True)
    with tarfile.open(raw / 'cifar-10-python.tar.gz', 'w:gz') as tar:
        for name in ['data_batch_{}'.format(i) for i in range(1, 6)] + ['test_batch']:
            batch = {b'data': rng.randint(0, 256, (n_per_batch, 3072)).astype(numpy.uint8),
                     b'labels': rng.randint(0, 10, n_per_batch).tolist()}
            blob = pickle.dumps(batch, protocol=2)
            info = tarfile.TarInfo('cifar-10-batches-py/' + name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return root


def test_cifar10_format(tmp_path):
    root = make_fake_cifar10(tmp_path / 'data')
    env = dict(_env(), DCHAIN_DATASET_ROOT=str(root))
    out = subprocess.run(
        [sys.executable, '-W', 'ignore', SCRIPT, '--arch', 'lenet5', '--dataset', 'cifar10',
         '--iteration', '2', '--batchsize', '8', '--out', str(tmp_path / 'result'),
         '--no-progress', '--no-plot'],
        env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 'train: 40  test: 8' in out.stdout
    log = json.load(open(tmp_path / 'result' / 'log'))
    assert log[-1]['iteration'] == 2 and numpy.isfinite(log[-1]['main/loss'])
    # The colour model's first convolution has three input channels.
    with numpy.load(tmp_path / 'result' / 'model.npz') as f:
        W = [f[k] for k in f.files if k.endswith('conv1/W')][0]
    assert W.shape == (6, 3, 5, 5)

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

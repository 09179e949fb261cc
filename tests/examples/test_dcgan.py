"""The DCGAN example: a few iterations on the digits write a real, non-blank PNG grid."""
import json
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, 'examples', 'dcgan', 'train_dcgan.py')

pytest.importorskip('sklearn')
Image = pytest.importorskip('PIL.Image')


def _run(*args):
    env = dict(os.environ, PYTHONPATH=ROOT, OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1')
    return subprocess.run([sys.executable, SCRIPT] + list(args), env=env, capture_output=True,
                          text=True, timeout=120)


def test_help():
    out = _run('--help')
    assert out.returncode == 0, out.stderr
    for flag in ('--dataset', '--device', '--out', '--epoch', '--n-hidden'):
        assert flag in out.stdout


def test_trains_and_writes_grids(tmp_path):
    # 100 images in batches of 10: three epochs are 30 iterations. A higher learning rate
    # than the default lets the generator move away from its flat start in so few steps.
    out = _run('--epoch', '3', '--batchsize', '10', '--n-examples', '100', '--ch', '32',
               '--alpha', '0.002', '--rows', '4', '--cols', '5', '--display-interval', '10',
               '--device', '-1', '--out', str(tmp_path), '--no-progress')
    assert out.returncode == 0, out.stderr
    log = json.load(open(tmp_path / 'log'))
    assert [e['iteration'] for e in log] == [10, 20, 30]
    for entry in log:
        assert numpy.isfinite(entry['gen/loss']) and numpy.isfinite(entry['dis/loss'])
        assert entry['dis/loss'] > 0 and entry['gen/loss'] > 0
    previews = sorted(os.listdir(tmp_path / 'preview'))
    assert previews == ['image_epoch_0001.png', 'image_epoch_0002.png',
                        'image_epoch_0003.png']
    grids = []
    for name in previews:
        with Image.open(tmp_path / 'preview' / name) as im:
            assert im.format == 'PNG'
            grid = numpy.asarray(im)
        # 4 x 5 tiles of 16x16 gray images.
        assert grid.shape == (4 * 16, 5 * 16)
        assert grid.dtype == numpy.uint8
        grids.append(grid)
    # Not blank: after 30 updates the generated pixels vary within the grid (at the very
    # start, the generator's output in test mode is a flat gray).
    last = grids[-1]
    assert last.std() > 1. and len(numpy.unique(last)) > 5
    # The generator was updated between epochs, so the grids differ.
    assert (grids[-2] != grids[-1]).any()
    for name in ('gen_epoch_3.npz', 'dis_epoch_3.npz', 'gen.npz'):
        assert (tmp_path / name).stat().st_size > 0
    # No temporary file is left behind by the atomic writes.
    assert not [n for n in os.listdir(tmp_path / 'preview') if n.startswith('.tmp')]


def test_tile_images_layout():
    sys.path.insert(0, os.path.dirname(SCRIPT))
    try:
        import importlib.util
        spec = importlib.util.spec_from_file_location('train_dcgan_example', SCRIPT)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(os.path.dirname(SCRIPT))
    x = numpy.zeros((6, 3, 2, 2), numpy.float32)
    x[4, 1] = 1.  # tile (row 1, col 1) of a 2x3 grid, green channel
    grid = module.tile_images(x, 2, 3)
    assert grid.shape == (4, 6, 3)
    assert (grid[2:4, 2:4, 1] == 255).all()
    assert grid.sum() == 255 * 4


def test_cifar10_colour_grid(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'test_convnet_helpers', os.path.join(os.path.dirname(__file__), 'test_convnet.py'))
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    root = helpers.make_fake_cifar10(tmp_path / 'data', n_per_batch=4)
    env = dict(os.environ, PYTHONPATH=ROOT, OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1',
               DCHAIN_DATASET_ROOT=str(root))
    out = subprocess.run(
        [sys.executable, '-W', 'ignore', SCRIPT, '--dataset', 'cifar10', '--iteration', '2',
         '--batchsize', '10', '--ch', '16', '--rows', '2', '--cols', '3', '--separate-batches',
         '--out',
         str(tmp_path / 'result'), '--no-progress'],
        env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 'images: 20  shape: (3, 32, 32)' in out.stdout
    with Image.open(tmp_path / 'result' / 'preview' / 'image_epoch_0001.png') as im:
        assert im.format == 'PNG' and im.mode == 'RGB'
        assert im.size == (3 * 32, 2 * 32)

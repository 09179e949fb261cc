"""The single-process parallel MNIST examples (ParallelUpdater, F.copy ParallelMLP) learn."""
import importlib.util
import os

import numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load(name):
    path = os.path.join(ROOT, 'examples', 'mnist', name + '.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_parallel_updater_example(tmp_path):
    numpy.random.seed(0)  # initial weights and shuffling: a fixed run, not a lucky one
    accuracy = _load('train_mnist_data_parallel').main(
        ['--epoch', '8', '--out', str(tmp_path), '--devices', '@numpy', '-1'])
    assert accuracy > 0.85
    assert (tmp_path / 'log').exists()


def test_copy_model_parallel_example(tmp_path):
    numpy.random.seed(0)
    accuracy = _load('train_mnist_model_parallel').main(
        ['--epoch', '3', '--out', str(tmp_path)])
    assert accuracy > 0.9

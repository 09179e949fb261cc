"""The MNIST examples and the seeds' MNIST programs, run on small data in the real formats:
IDX files written into a temporary DCHAIN_DATASET_ROOT (no download), and the offline
digits dataset."""
import gzip
import importlib.util
import json
import os
import runpy
import struct
import warnings

import numpy
import pytest

from dchain.dataset import download
from dchain.datasets import digits as digits_module

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'mnist')

def _digits_available():
    try:
        digits_module.digits_file_path()
    except RuntimeError:
        return False
    return True


digits_only = pytest.mark.skipif(not _digits_available(),
                                 reason='the digits dataset needs scikit-learn')


def _load_example(name):
    spec = importlib.util.spec_from_file_location(
        'example_' + name, os.path.join(EXAMPLES, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_idx(path, array):
    header = struct.pack('>BBBB', 0, 0, 0x08, array.ndim)
    header += struct.pack('>' + 'I' * array.ndim, *array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.astype(numpy.uint8).tobytes())


def _digit_like_images(labels, rng):
    """28x28 uint8 images: a class-specific bar pattern plus noise, so a small MLP learns."""
    n = len(labels)
    images = rng.randint(0, 60, size=(n, 28, 28))
    for i, label in enumerate(labels):
        row = 2 + 2 * label
        images[i, row:row + 3, 4:24] = 255
        images[i, 4:24, 26 - 2 * label:28 - 2 * label] = 200
    return images.astype(numpy.uint8)


@pytest.fixture
def mnist_root(tmp_path, monkeypatch):
    """A dataset root holding small MNIST IDX files; downloading is forbidden."""
    root = tmp_path / 'datasets'
    raw = root / 'mnist' / 'raw'
    raw.mkdir(parents=True)
    rng = numpy.random.RandomState(0)
    for prefix, n in (('train', 300), ('t10k', 100)):
        labels = rng.randint(0, 10, size=n).astype(numpy.uint8)
        _write_idx(str(raw / '{}-images-idx3-ubyte.gz'.format(prefix)),
                   _digit_like_images(labels, rng))
        _write_idx(str(raw / '{}-labels-idx1-ubyte.gz'.format(prefix)), labels)
    monkeypatch.setenv('DCHAIN_DATASET_ROOT', str(root))
    monkeypatch.setenv('MPLBACKEND', 'Agg')

    def no_download(url, path, **kwargs):
        raise download.DownloadError('test: downloading {} is not allowed'.format(url))
    monkeypatch.setattr(download, 'download_file', no_download)
    # The files differ from the published ones on purpose; the loader says so.
    warnings.filterwarnings('ignore', message='.*published.*')
    return root


@digits_only
def test_train_mnist_digits_reaches_accuracy_and_writes_outputs(tmp_path, capsys):
    example = _load_example('train_mnist')
    out = tmp_path / 'result'
    accuracy = example.main(['--dataset', 'digits', '--epoch', '4', '--out', str(out)])
    printed = capsys.readouterr().out
    assert 'Final validation accuracy: {:.4f}'.format(accuracy) in printed
    assert accuracy > 0.85
    header = [line for line in printed.splitlines() if line.startswith('epoch')][0]
    assert header.split() == ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
                              'validation/main/accuracy', 'elapsed_time']
    log = json.loads((out / 'log').read_text())
    assert [e['epoch'] for e in log] == [1, 2, 3, 4]
    assert (out / 'cg.dot').read_text().startswith('digraph')
    assert any(name.startswith('snapshot_iter_') for name in os.listdir(out))
    if example.extensions.PlotReport.available():
        assert (out / 'loss.png').stat().st_size > 1000
        assert (out / 'accuracy.png').stat().st_size > 1000


@digits_only
def test_train_mnist_resume(tmp_path, capsys):
    example = _load_example('train_mnist')
    out = str(tmp_path / 'result')
    args = ['--dataset', 'digits', '--out', out, '--noplot', '--frequency', '1']
    example.main(args + ['--epoch', '2'])
    snapshots = sorted(n for n in os.listdir(out) if n.startswith('snapshot'))
    assert len(snapshots) == 2
    # From an explicit snapshot file ...
    example.main(args + ['--epoch', '3', '--resume', os.path.join(out, snapshots[-1])])
    log = json.loads((tmp_path / 'result' / 'log').read_text())
    assert [e['epoch'] for e in log] == [1, 2, 3]
    # ... and from the newest one found in --out.
    example.main(args + ['--epoch', '4', '--resume', 'auto'])
    log = json.loads((tmp_path / 'result' / 'log').read_text())
    assert [e['epoch'] for e in log] == [1, 2, 3, 4]


def test_train_mnist_on_idx_files(mnist_root, tmp_path, capsys):
    example = _load_example('train_mnist')
    accuracy = example.main(['--dataset', 'mnist', '--epoch', '3', '--unit', '50',
                             '--out', str(tmp_path / 'r'), '--noplot', '--device', '@numpy'])
    assert accuracy > 0.8
    assert 'Dataset: mnist' in capsys.readouterr().out


@digits_only
def test_custom_loop_example(tmp_path, capsys):
    example = _load_example('train_mnist_custom_loop')
    accuracy = example.main(['--epoch', '5', '--lr', '0.05', '--out', str(tmp_path)])
    printed = capsys.readouterr().out
    assert printed.count('val_accuracy') == 5
    assert accuracy > 0.9
    assert (tmp_path / 'mnist_custom_loop.model').exists()


def test_help_lists_the_options(capsys):
    example = _load_example('train_mnist')
    with pytest.raises(SystemExit):
        example.parse_args(['--help'])
    text = capsys.readouterr().out
    for option in ('--dataset', '--epoch', '--batchsize', '--unit', '--device', '--out',
                   '--resume'):
        assert option in text


# --- The seeds' programs. They are run unchanged except that the package is dchain
# (``import chainer`` -> ``import dchain as chainer``, ``from chainer ...`` -> ``from dchain
# ...``, see as_dchain) and gpu_id = -1 (the seeds' "Set to -1 if you use CPU", whose minus
# sign the seed text lost). -------------------------------------------------------------


def as_dchain(source):
    """The seed program with its imports of chainer pointed at dchain."""
    source = source.replace('import chainer\n', 'import dchain as chainer\n')
    source = source.replace('from chainer', 'from dchain')
    return source.replace('import chainer.', 'import dchain.')

SEED_TRAINER_MNIST = '''
import math
import numpy as np
import chainer
from chainer import backend
from chainer import backends
from chainer.backends import cuda
from chainer import Function, FunctionNode, gradient_check, report, training, utils, Variable
from chainer import datasets, initializers, iterators, optimizers, serializers
from chainer import Link, Chain, ChainList
import chainer.functions as F
import chainer.links as L
from chainer.training import extensions

from chainer.datasets import mnist
train, test = mnist.get_mnist()

batchsize = 128
train_iter = iterators.SerialIterator(train, batchsize)
test_iter = iterators.SerialIterator(test, batchsize, False, False)

class MLP(Chain):
    def __init__(self, n_mid_units=100, n_out=10):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_mid_units)
            self.l2 = L.Linear(None, n_mid_units)
            self.l3 = L.Linear(None, n_out)
    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)

gpu_id = -1  # Set to -1 if you use CPU
model = MLP()
if gpu_id >= 0:
    model.to_gpu(gpu_id)

max_epoch = 10
model = L.Classifier(model)
optimizer = optimizers.MomentumSGD()
optimizer.setup(model)
updater = training.updaters.StandardUpdater(train_iter, optimizer, device=gpu_id)

trainer = training.Trainer(updater, (max_epoch, 'epoch'), out='mnist_result')

from chainer.training import extensions
trainer.extend(extensions.LogReport())
trainer.extend(extensions.snapshot(filename='snapshot_epoch{.updater.epoch}'))
trainer.extend(extensions.snapshot_object(model.predictor, filename='model_epoch{.updater.epoch}'))
trainer.extend(extensions.Evaluator(test_iter, model, device=gpu_id))
trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'main/accuracy', 'validation/main/loss', 'validation/main/accuracy', 'elapsed_time']))
trainer.extend(extensions.PlotReport(['main/loss', 'validation/main/loss'], x_key='epoch', file_name='loss.png'))
trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'], x_key='epoch', file_name='accuracy.png'))
trainer.extend(extensions.DumpGraph('main/loss'))

trainer.run()

import matplotlib.pyplot as plt
model = MLP()
serializers.load_npz('mnist_result/model_epoch10', model)

# Show the output
x, t = test[0]
plt.imshow(x.reshape(28, 28), cmap='gray')
plt.show()
print('label:', t)

y = model(x[None, ...])
print('predicted_label:', y.array.argmax(axis=1)[0])
'''


def test_seed_trainer_mnist_program(mnist_root, tmp_path, monkeypatch, capsys):
    pytest.importorskip('matplotlib')
    monkeypatch.chdir(tmp_path)
    _run_seed(tmp_path, SEED_TRAINER_MNIST)
    printed = capsys.readouterr().out
    rows = [line.split() for line in printed.splitlines() if line[:1].isdigit()]
    assert len(rows) == 10
    final_accuracy = float(rows[-1][4])
    assert final_accuracy > 0.8, printed
    out = tmp_path / 'mnist_result'
    for name in ('log', 'loss.png', 'accuracy.png', 'cg.dot', 'model_epoch10',
                 'snapshot_epoch10'):
        assert (out / name).exists(), name
    label = int(printed.split('label:')[1].split()[0])
    predicted = int(printed.split('predicted_label:')[1].split()[0])
    assert 0 <= label < 10 and 0 <= predicted < 10


def _run_seed(directory, source):
    path = directory / 'seed_program.py'
    path.write_text(as_dchain(source))
    return runpy.run_path(str(path), run_name='__main__')


SEED_000_TRAINER = '''
import numpy as np
import chainer
from chainer import cuda, Function, gradient_check, report, training, utils, Variable
from chainer import datasets, iterators, optimizers, serializers
from chainer import Link, Chain, ChainList
import chainer.functions as F
import chainer.links as L
from chainer.training import extensions

train, test = datasets.get_mnist()
train_iter = iterators.SerialIterator(train, batch_size=100, shuffle=True)
test_iter = iterators.SerialIterator(test, batch_size=100, repeat=False, shuffle=False)

class MLP(Chain):
    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            # the size of the inputs to each layer will be inferred
            self.l1 = L.Linear(None, n_units)  # n_in -> n_units
            self.l2 = L.Linear(None, n_units)  # n_units -> n_units
            self.l3 = L.Linear(None, n_out)    # n_units -> n_out

    def __call__(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        y = self.l3(h2)
        return y

class Classifier(Chain):
    def __init__(self, predictor):
        super(Classifier, self).__init__()
        with self.init_scope():
            self.predictor = predictor

    def __call__(self, x, t):
        y = self.predictor(x)
        loss = F.softmax_cross_entropy(y, t)
        accuracy = F.accuracy(y, t)
        report({'loss': loss, 'accuracy': accuracy}, self)
        return loss

model = L.Classifier(MLP(100, 10))  # the input size, 784, is inferred
optimizer = optimizers.SGD()
optimizer.setup(model)

updater = training.StandardUpdater(train_iter, optimizer)
trainer = training.Trainer(updater, (20, 'epoch'), out='result')

trainer.extend(extensions.Evaluator(test_iter, model))
trainer.extend(extensions.PrintReport(['epoch', 'main/accuracy', 'validation/main/accuracy']))
trainer.run()
'''


def test_seed_000_trainer_program(mnist_root, tmp_path, monkeypatch, capsys):
    # The seed shows ``optimizer = optimizers.SGD()`` and relies on ``setup(model)`` from its
    # earlier sections; the copy above calls it. Its PrintReport has no LogReport to read:
    # dchain's PrintReport then keeps a private one, so the table still prints.
    monkeypatch.chdir(tmp_path)
    _run_seed(tmp_path, SEED_000_TRAINER)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ['epoch', 'main/accuracy', 'validation/main/accuracy']
    rows = [line.split() for line in printed[1:]]
    assert [int(r[0]) for r in rows] == list(range(1, 21))
    assert float(rows[-1][2]) > 0.8


SEED_MANUAL_LOOP_003 = '''from __future__ import print_function
import matplotlib.pyplot as plt
from chainer.datasets import mnist
import chainer
import chainer.functions as F
import chainer.links as L
from chainer import Chain

# Download the MNIST data if you haven't downloaded it yet
train, test = mnist.get_mnist(withlabel=True, ndim=1)
x, t = train[0]
plt.imshow(x.reshape(28, 28), cmap='gray')
plt.savefig('5.png')
print('label:', t)

from chainer import iterators
batchsize = 128
train_iter = iterators.SerialIterator(train, batchsize)
test_iter = iterators.SerialIterator(test, batchsize,
                                     repeat=False, shuffle=False)

class MyNetwork(Chain):
    def __init__(self, n_mid_units=100, n_out=10):
        super(MyNetwork, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_mid_units)
            self.l2 = L.Linear(n_mid_units, n_mid_units)
            self.l3 = L.Linear(n_mid_units, n_out)
    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)
model = MyNetwork()
gpu_id = -1  # Set to -1 if you use CPU
if gpu_id >= 0:
    model.to_gpu(gpu_id)

from chainer import optimizers
optimizer = optimizers.MomentumSGD(lr=0.01, momentum=0.9)
optimizer.setup(model)

import numpy as np
from chainer.dataset import concat_examples
from chainer.backends.cuda import to_cpu
max_epoch = 10
while train_iter.epoch < max_epoch:
    train_batch = train_iter.next()
    image_train, target_train = concat_examples(train_batch, gpu_id)
    prediction_train = model(image_train)
    loss = F.softmax_cross_entropy(prediction_train, target_train)
    model.cleargrads()
    loss.backward()
    optimizer.update()
    if train_iter.is_new_epoch:
        print('epoch:{:02d} train_loss:{:.04f} '.format(
            train_iter.epoch, float(to_cpu(loss.array))), end='')
        test_losses = []
        test_accuracies = []
        for test_batch in test_iter:
            image_test, target_test = concat_examples(test_batch, gpu_id)
            prediction_test = model(image_test)
            loss_test = F.softmax_cross_entropy(prediction_test, target_test)
            test_losses.append(to_cpu(loss_test.array))
            accuracy = F.accuracy(prediction_test, target_test)
            accuracy.to_cpu()
            test_accuracies.append(accuracy.array)
        test_iter.reset()
        print('val_loss:{:.04f} val_accuracy:{:.04f}'.format(
            np.mean(test_losses), np.mean(test_accuracies)))

from chainer import serializers
serializers.save_npz('my_mnist.model', model)

model = MyNetwork()
serializers.load_npz('my_mnist.model', model)
x, t = test[0]
plt.imshow(x.reshape(28, 28), cmap='gray')
plt.savefig('7.png')
print('label:', t)
print(x.shape, end=' > ')
x = x[None, ...]
print(x.shape)
y = model(x)
y = y.array
pred_label = y.argmax(axis=1)
print('predicted label:', pred_label[0])
'''


def test_seed_manual_loop_program(mnist_root, tmp_path, monkeypatch, capsys):
    pytest.importorskip('matplotlib')
    monkeypatch.chdir(tmp_path)
    _run_seed(tmp_path, SEED_MANUAL_LOOP_003)
    printed = capsys.readouterr().out
    epochs = [line for line in printed.splitlines() if line.startswith('epoch:')]
    assert len(epochs) == 10
    assert float(epochs[-1].split('val_accuracy:')[1]) > 0.8
    assert (tmp_path / '5.png').exists() and (tmp_path / '7.png').exists()
    assert '(784,) > (1, 784)' in printed
    assert 'predicted label:' in printed


SEED_004_LOOP = '''
import numpy as np
import chainer
from chainer import cuda, Function, gradient_check, report, training, utils, Variable
from chainer import datasets, iterators, optimizers, serializers
from chainer import Link, Chain, ChainList
import chainer.functions as F
import chainer.links as L
from chainer.training import extensions
from chainer.datasets import mnist

train, test = mnist.get_mnist(withlabel=True, ndim=1)
batchsize = 128
train_iter = iterators.SerialIterator(train, batchsize)
test_iter = iterators.SerialIterator(test, batchsize,
                                     repeat=False, shuffle=False)

class MyNetwork(Chain):

    def __init__(self, n_mid_units=100, n_out=10):
        super(MyNetwork, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_mid_units)
            self.l2 = L.Linear(n_mid_units, n_mid_units)
            self.l3 = L.Linear(n_mid_units, n_out)

    def __call__(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)

model = MyNetwork()

from chainer import optimizers
optimizer = optimizers.MomentumSGD(lr=0.01, momentum=0.9)
optimizer.setup(model)

import numpy as np
from chainer.dataset import concat_examples
from chainer.cuda import to_cpu
max_epoch = 10
gpu_id=-1
while train_iter.epoch < max_epoch:
    train_batch = train_iter.next()
    image_train, target_train = concat_examples(train_batch, gpu_id)
    prediction_train = model(image_train)
    loss = F.softmax_cross_entropy(prediction_train, target_train)
    model.cleargrads()
    loss.backward()
    optimizer.update()
    if train_iter.is_new_epoch:
        print('epoch:{:02d} train_loss:{:.04f} '.format(
            train_iter.epoch, float(to_cpu(loss.data))), end='')
        test_losses = []
        test_accuracies = []
        while True:
            test_batch = test_iter.next()
            image_test, target_test = concat_examples(test_batch, gpu_id)
            prediction_test = model(image_test)
            loss_test = F.softmax_cross_entropy(prediction_test, target_test)
            test_losses.append(to_cpu(loss_test.data))
            accuracy = F.accuracy(prediction_test, target_test)
            accuracy.to_cpu()
            test_accuracies.append(accuracy.data)
            if test_iter.is_new_epoch:
                test_iter.epoch = 0
                test_iter.current_position = 0
                test_iter.is_new_epoch = False
                test_iter._pushed_position = None
                break
        print('val_loss:{:.04f} val_accuracy:{:.04f}'.format(
            np.mean(test_losses), np.mean(test_accuracies)))

serializers.save_npz('my_mnist.model', model)
model = MyNetwork()
serializers.load_npz('my_mnist.model', model)
x, t = test[0]
x = x[None, ...]
y = model(x)
y = y.data
pred_label = y.argmax(axis=1)
print('predicted label:', pred_label[0])
'''


def test_seed_004_hand_written_loop(mnist_root, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _run_seed(tmp_path, SEED_004_LOOP)
    printed = capsys.readouterr().out
    epochs = [line for line in printed.splitlines() if line.startswith('epoch:')]
    assert len(epochs) == 10
    assert float(epochs[-1].split('val_accuracy:')[1]) > 0.8
    assert 'predicted label:' in printed

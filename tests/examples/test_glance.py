"""The glance example (mushrooms: edible or poisonous) on a small file in the format of
Kaggle's mushrooms.csv, both as examples/glance/glance.py and as the seed's program."""
import importlib.util
import os
import runpy

import numpy
import pytest


EXAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'glance', 'glance.py')

COLUMNS = ['class', 'cap-shape', 'cap-surface', 'cap-color', 'bruises', 'odor',
           'gill-attachment', 'gill-spacing', 'gill-size', 'gill-color', 'stalk-shape',
           'stalk-root', 'stalk-surface-above-ring', 'stalk-surface-below-ring',
           'stalk-color-above-ring', 'stalk-color-below-ring', 'veil-type', 'veil-color',
           'ring-number', 'ring-type', 'spore-print-color', 'population', 'habitat']
LETTERS = {'cap-shape': 'bcxfks', 'cap-surface': 'fgys', 'cap-color': 'nbcgrpuewy',
           'bruises': 'tf', 'gill-attachment': 'adfn', 'gill-spacing': 'cwd',
           'gill-size': 'bn', 'gill-color': 'knbhgropuewy', 'stalk-shape': 'et',
           'stalk-root': 'bcuezr?', 'stalk-surface-above-ring': 'fyks',
           'stalk-surface-below-ring': 'fyks', 'stalk-color-above-ring': 'nbcgopewy',
           'stalk-color-below-ring': 'nbcgopewy', 'veil-type': 'p', 'veil-color': 'nowy',
           'ring-number': 'not', 'ring-type': 'ceflnpsz', 'spore-print-color': 'knbhrouwy',
           'population': 'acnsvy', 'habitat': 'glmpuwd'}
# As in the real data, some features (odor above all) nearly decide the class:
# (letters of edible mushrooms, letters of poisonous ones).
TELLING = {'odor': ('aln', 'cyfmps'), 'bruises': ('t', 'f'), 'gill-size': ('b', 'n'),
           'spore-print-color': ('knu', 'hrw'), 'ring-type': ('pef', 'lnz'),
           'gill-color': ('knbe', 'hgropuwy'), 'stalk-surface-above-ring': ('fs', 'yk'),
           'population': ('acn', 'svy'), 'habitat': ('glm', 'puwd')}


def write_mushrooms_csv(path, n=400, seed=0):
    """A mushrooms.csv look-alike: header, then 'e'/'p' and 22 one-letter features."""
    rng = numpy.random.RandomState(seed)
    lines = [','.join(COLUMNS)]
    for _ in range(n):
        poisonous = rng.rand() < 0.48
        row = ['p' if poisonous else 'e']
        for column in COLUMNS[1:]:
            if column in TELLING and (column == 'odor' or rng.rand() < 0.9):
                choices = TELLING[column][poisonous]
            else:
                choices = LETTERS[column]
            row.append(choices[rng.randint(len(choices))])
        lines.append(','.join(row))
    path.write_text('\n'.join(lines) + '\n')
    return path


def _load_example():
    spec = importlib.util.spec_from_file_location('example_glance', EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loader_reads_the_csv_format(tmp_path):
    csv = write_mushrooms_csv(tmp_path / 'mushrooms.csv', n=50)
    dataset = _load_example().load_mushrooms(str(csv))
    x, t = dataset[0]
    assert len(dataset) == 50
    assert x.shape == (22,) and x.dtype == numpy.float32
    assert t.shape == (1,) and t.dtype == numpy.int32 and t[0] in (0, 1)


def test_glance_example_learns(tmp_path, capsys):
    csv = write_mushrooms_csv(tmp_path / 'mushrooms.csv', n=2000)
    out = tmp_path / 'result'
    accuracy = _load_example().main([str(csv), '--epoch', '50', '--out', str(out),
                                     '--noplot'])
    printed = capsys.readouterr().out
    assert 'Final validation accuracy' in printed
    assert 'Predicted ' in printed and ', Actual ' in printed
    assert accuracy > 0.9
    assert (out / 'cg.dot').exists() and (out / 'log').exists()
    # Every 20 epochs of 14 iterations (1400 training rows, batches of 100).
    assert sorted(os.listdir(out)) == ['cg.dot', 'log', 'snapshot_iter_280',
                                       'snapshot_iter_560']


SEED_GLANCE = '''
import chainer as ch
from chainer import datasets
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions
import numpy as np

import matplotlib
matplotlib.use('Agg')

mushroomsfile = 'mushrooms.csv'
data_array = np.genfromtxt(
    mushroomsfile, delimiter=',', dtype=str, skip_header=1)
for col in range(data_array.shape[1]):
    data_array[:, col] = np.unique(data_array[:, col], return_inverse=True)[1]
X = data_array[:, 1:].astype(np.float32)
Y = data_array[:, 0].astype(np.int32)[:, None]
train, test = datasets.split_dataset_random(
    datasets.TupleDataset(X, Y), int(data_array.shape[0] * .7))

train_iter = ch.iterators.SerialIterator(train, 100)
test_iter = ch.iterators.SerialIterator(
    test, 100, repeat=False, shuffle=False)

# Network definition
def MLP(n_units, n_out):
    layer = ch.Sequential(L.Linear(n_units), F.relu)
    model = layer.repeat(2)
    model.append(L.Linear(n_out))
    return model

model = L.Classifier(
    MLP(44, 1), lossfun=F.sigmoid_cross_entropy, accfun=F.binary_accuracy)

# Setup an optimizer
optimizer = ch.optimizers.SGD().setup(model)

# Create the updater, using the optimizer
updater = training.StandardUpdater(train_iter, optimizer, device=-1)

# Set up a trainer
trainer = training.Trainer(updater, (50, 'epoch'), out='result')

# Evaluate the model with the test dataset for each epoch
trainer.extend(extensions.Evaluator(test_iter, model, device=-1))

# Dump a computational graph from 'loss' variable at the first iteration
# The "main" refers to the target link of the "main" optimizer.
trainer.extend(extensions.DumpGraph('main/loss'))

trainer.extend(extensions.snapshot(), trigger=(20, 'epoch'))

# Write a log of evaluation statistics for each epoch
trainer.extend(extensions.LogReport())

# Save two plot images to the result dir
trainer.extend(
    extensions.PlotReport(['main/loss', 'validation/main/loss'],
                          'epoch', file_name='loss.png'))
trainer.extend(
    extensions.PlotReport(
        ['main/accuracy', 'validation/main/accuracy'],
        'epoch', file_name='accuracy.png'))

# Print selected entries of the log to stdout
trainer.extend(extensions.PrintReport(
    ['epoch', 'main/loss', 'validation/main/loss',
     'main/accuracy', 'validation/main/accuracy', 'elapsed_time']))

# Run the training
trainer.run()

x, t = test[np.random.randint(len(test))]
predict = model.predictor(x[None]).array
predict = predict[0][0]
if predict >= 0:
    print('Predicted Poisonous, Actual ' + ['Edible', 'Poisonous'][t[0]])
else:
    print('Predicted Edible, Actual ' + ['Edible', 'Poisonous'][t[0]])
'''


def as_dchain(source):
    """The seed program with ``chainer`` replaced by dchain in its imports."""
    source = source.replace('import chainer as ch\n', 'import dchain as ch\n')
    source = source.replace('from chainer', 'from dchain')
    return source.replace('import chainer.', 'import dchain.')


def test_seed_glance_program(tmp_path, monkeypatch, capsys):
    # The seed's device=1 is its "-1" (the CPU) with the minus sign lost, as everywhere in
    # that text. The copy trains 20 epochs instead of 50 (280 iterations).
    pytest.importorskip('matplotlib')
    write_mushrooms_csv(tmp_path / 'mushrooms.csv', n=2000)
    monkeypatch.chdir(tmp_path)
    numpy.random.seed(0)
    path = tmp_path / 'glance_seed.py'
    path.write_text(as_dchain(SEED_GLANCE).replace("(50, 'epoch')", "(20, 'epoch')"))
    runpy.run_path(str(path), run_name='__main__')
    printed = capsys.readouterr().out
    rows = [line.split() for line in printed.splitlines() if line[:1].isdigit()]
    assert len(rows) == 20
    assert float(rows[-1][4]) > 0.8  # validation/main/accuracy
    assert 'Predicted ' in printed
    for name in ('loss.png', 'accuracy.png', 'cg.dot', 'log', 'snapshot_iter_280'):
        assert (tmp_path / 'result' / name).exists(), name

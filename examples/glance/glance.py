#!/usr/bin/env python
"""Chainer at a glance: are these mushrooms edible or poisonous?

    python examples/glance/glance.py path/to/mushrooms.csv [--epoch 50] [--out result]

Reads Kaggle's mushrooms.csv (a header line, then one mushroom per line: the class 'e' or 'p'
followed by 22 one-letter categorical features), codes every column as integers, and trains
a two-hidden-layer perceptron with the Trainer. Logs, plots, the computational graph and
snapshots go to --out.
"""
import argparse

import numpy as np

import dchain as ch
import dchain.functions as F
import dchain.links as L
from dchain import datasets
from dchain import training
from dchain.training import extensions


def load_mushrooms(path):
    """``TupleDataset`` of float32 feature codes and int32 labels of shape ``(1,)``."""
    data_array = np.genfromtxt(path, delimiter=',', dtype=str, skip_header=1)
    for col in range(data_array.shape[1]):
        data_array[:, col] = np.unique(data_array[:, col], return_inverse=True)[1]
    X = data_array[:, 1:].astype(np.float32)
    Y = data_array[:, 0].astype(np.int32)[:, None]
    return datasets.TupleDataset(X, Y)


def MLP(n_units, n_out):
    """Two ReLU hidden layers of ``n_units`` (input size inferred), then ``n_out`` outputs."""
    layer = ch.Sequential(L.Linear(n_units), F.relu)
    model = layer.repeat(2)
    model.append(L.Linear(n_out))
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description='dchain example: mushroom classifier')
    parser.add_argument('csv', help="path to mushrooms.csv")
    parser.add_argument('--epoch', '-e', type=int, default=50)
    parser.add_argument('--batchsize', '-b', type=int, default=100)
    parser.add_argument('--device', '-d', default='-1',
                        help="-1 or '@numpy' for the CPU, 0 or '@cupy:0' for a GPU")
    parser.add_argument('--out', '-o', default='result')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='do not draw the loss and accuracy plots')
    args = parser.parse_args(argv)
    np.random.seed(args.seed)
    try:
        device = int(args.device)
    except ValueError:
        device = args.device

    dataset = load_mushrooms(args.csv)
    train, test = datasets.split_dataset_random(dataset, int(len(dataset) * .7),
                                                seed=args.seed)
    train_iter = ch.iterators.SerialIterator(train, args.batchsize)
    test_iter = ch.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                            shuffle=False)

    # 44 hidden units (twice the 22 features), one output: the logit of "poisonous".
    model = L.Classifier(MLP(44, 1), lossfun=F.sigmoid_cross_entropy,
                         accfun=F.binary_accuracy)
    optimizer = ch.optimizers.SGD().setup(model)
    updater = training.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    trainer.extend(extensions.DumpGraph('main/loss'))
    trainer.extend(extensions.snapshot(), trigger=(20, 'epoch'))
    trainer.extend(extensions.LogReport())
    if args.plot and extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(['main/loss', 'validation/main/loss'], 'epoch',
                                             file_name='loss.png'))
        trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'],
                                             'epoch', file_name='accuracy.png'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    trainer.run()

    x, t = test[np.random.randint(len(test))]
    predict = model.predictor(x[None]).array[0][0]
    print('Predicted {}, Actual {}'.format('Poisonous' if predict >= 0 else 'Edible',
                                           ['Edible', 'Poisonous'][t[0]]))
    log = trainer.get_extension('LogReport').log
    accuracy = log[-1].get('validation/main/accuracy') if log else None
    if accuracy is not None:
        print('Final validation accuracy: {:.4f}'.format(accuracy))
    return accuracy


if __name__ == '__main__':
    main()

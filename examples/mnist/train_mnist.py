#!/usr/bin/env python
"""Train a multi-layer perceptron on MNIST (or the offline 8x8 digits) with the Trainer.

    python examples/mnist/train_mnist.py --dataset digits --epoch 20
    python examples/mnist/train_mnist.py --dataset mnist --epoch 20 --device -1

Writes the log, loss/accuracy plots (when matplotlib is installed), the computational graph
(cg.dot) and snapshots to --out; --resume continues from a snapshot (a path, or 'auto' for
the newest good one in --out).
"""
import argparse
import os

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import training
from dchain.training import extensions


class MLP(chainer.Chain):
    """Three fully connected layers; the input size is inferred at the first call."""

    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='dchain example: MNIST / digits MLP')
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits',
                        help='digits: 8x8 digits shipped with scikit-learn (offline); '
                             'mnist: MNIST from the dataset cache (DCHAIN_DATASET_ROOT)')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='number of examples in each minibatch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the dataset')
    parser.add_argument('--frequency', '-f', type=int, default=-1,
                        help='snapshot every this many epochs (-1: at the end only)')
    parser.add_argument('--device', '-d', type=str, default='-1',
                        help="device specifier: -1 or '@numpy' for the CPU, 0 or '@cupy:0' "
                             'for a GPU')
    parser.add_argument('--out', '-o', default='result', help='output directory')
    parser.add_argument('--resume', '-r', type=str, default='',
                        help="resume from this snapshot ('auto': the newest in --out)")
    parser.add_argument('--unit', '-u', type=int, default=None,
                        help='number of units in each hidden layer (default: 1000 for mnist, '
                             '100 for digits)')
    parser.add_argument('--lr', type=float, default=0.001, help='Adam learning rate (alpha)')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='do not draw the loss and accuracy plots')
    parser.add_argument('--progress', action='store_true',
                        help='show a progress bar')
    return parser.parse_args(argv)


def _device(spec):
    try:
        return int(spec)
    except ValueError:
        return spec


def main(argv=None):
    args = parse_args(argv)
    if args.unit is None:
        args.unit = 1000 if args.dataset == 'mnist' else 100
    import numpy
    numpy.random.seed(args.seed)
    device = chainer.get_device(_device(args.device))

    print('Device: {}'.format(device))
    print('Dataset: {}'.format(args.dataset))
    print('# unit: {}'.format(args.unit))
    print('# minibatch-size: {}'.format(args.batchsize))
    print('# epoch: {}'.format(args.epoch))
    print()

    if args.dataset == 'mnist':
        train, test = chainer.datasets.get_mnist()
    else:
        train, test = chainer.datasets.get_digits()

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                 shuffle=False)

    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    trainer.extend(extensions.DumpGraph('main/loss'))
    frequency = args.epoch if args.frequency == -1 else max(1, args.frequency)
    trainer.extend(extensions.snapshot(n_retains=2, autoload=args.resume == 'auto'),
                   trigger=(frequency, 'epoch'))
    trainer.extend(extensions.LogReport())
    if args.plot and extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(['main/loss', 'validation/main/loss'],
                                             'epoch', file_name='loss.png'))
        trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'],
                                             'epoch', file_name='accuracy.png'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss',
         'main/accuracy', 'validation/main/accuracy', 'elapsed_time']))
    if args.progress:
        trainer.extend(extensions.ProgressBar(update_interval=10))

    if args.resume and args.resume != 'auto':
        chainer.serializers.load_npz(args.resume, trainer)

    trainer.run()

    log = trainer.get_extension('LogReport').log
    accuracy = next((entry['validation/main/accuracy'] for entry in reversed(log)
                     if 'validation/main/accuracy' in entry), None)
    if accuracy is not None:
        print('Final validation accuracy: {:.4f}'.format(accuracy))
    print('Results in {}'.format(os.path.abspath(args.out)))
    return accuracy


if __name__ == '__main__':
    main()

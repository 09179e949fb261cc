#!/usr/bin/env python
"""Data parallelism inside one process with ParallelUpdater (the seeds' two-device example).

Each minibatch is split between a 'main' and a 'second' device; the gradients are summed
into the main model, which is updated and copied back to the second one. Devices are any
specifiers (GPUs: 0 and 1; on a CPU-only machine both default to the CPU, which shows the
mechanics though it is not faster).

    python examples/mnist/train_mnist_data_parallel.py --devices @numpy @numpy
    python examples/mnist/train_mnist_data_parallel.py --devices 0 1 --dataset mnist
"""
import argparse

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import training
from dchain.training import extensions


class MLP(chainer.Chain):
    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits')
    parser.add_argument('--devices', nargs=2, default=['-1', '-1'], metavar=('MAIN', 'SECOND'),
                        help='device specifiers of the two replicas (default: both the CPU)')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='minibatch size, split between the two devices')
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--out', '-o', default='result_data_parallel')
    args = parser.parse_args(argv)

    model = L.Classifier(MLP(args.unit, 10))
    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)
    train, test = (chainer.datasets.get_digits() if args.dataset == 'digits'
                   else chainer.datasets.get_mnist())
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                 shuffle=False)
    updater = training.updaters.ParallelUpdater(
        train_iter, optimizer, devices={'main': args.devices[0], 'second': args.devices[1]})
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    evaluator = extensions.Evaluator(test_iter, model, device=args.devices[0])
    trainer.extend(evaluator)
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    trainer.run()
    accuracy = float(evaluator()['validation/main/accuracy'])
    print('final validation accuracy: {:.4f}'.format(accuracy))
    return accuracy


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Model parallelism inside one process with F.copy (the seeds' ParallelMLP).

Two MLP halves live on two devices and exchange activations with ``F.copy``, whose backward
sends the gradients back. Devices are any specifiers (GPUs: 0 and 1; by default both are the
CPU, which shows the mechanics though it is not faster).

    python examples/mnist/train_mnist_model_parallel.py
    python examples/mnist/train_mnist_model_parallel.py --devices 0 1 --dataset mnist
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


class ParallelMLP(chainer.Chain):
    """The seeds' network: each layer group is split over two devices, synced twice."""

    def __init__(self, n_units, n_out, device0, device1):
        super().__init__()
        self.device0, self.device1 = device0, device1
        with self.init_scope():
            self.mlp1_gpu0 = MLP(n_units // 2, n_units).to_device(device0)
            self.mlp1_gpu1 = MLP(n_units // 2, n_units).to_device(device1)
            self.mlp2_gpu0 = MLP(n_units // 2, n_out).to_device(device0)
            self.mlp2_gpu1 = MLP(n_units // 2, n_out).to_device(device1)

    def forward(self, x):
        # x is on device0
        z0 = self.mlp1_gpu0(x)
        z1 = self.mlp1_gpu1(F.copy(x, self.device1))
        h0 = F.relu(z0 + F.copy(z1, self.device0))
        h1 = F.relu(z1 + F.copy(z0, self.device1))
        y0 = self.mlp2_gpu0(h0)
        y1 = self.mlp2_gpu1(h1)
        return y0 + F.copy(y1, self.device0)  # the output is on device0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits')
    parser.add_argument('--devices', nargs=2, default=['-1', '-1'], metavar=('FIRST', 'SECOND'),
                        help='device specifiers of the two halves (default: both the CPU)')
    parser.add_argument('--batchsize', '-b', type=int, default=100)
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--unit', '-u', type=int, default=200)
    parser.add_argument('--out', '-o', default='result_model_parallel')
    args = parser.parse_args(argv)

    device0 = chainer.get_device(args.devices[0])
    device1 = chainer.get_device(args.devices[1])
    model = L.Classifier(ParallelMLP(args.unit, 10, device0, device1))
    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)
    train, test = (chainer.datasets.get_digits() if args.dataset == 'digits'
                   else chainer.datasets.get_mnist())
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                 shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, input_device=device0)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    evaluator = extensions.Evaluator(test_iter, model, device=device0)
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

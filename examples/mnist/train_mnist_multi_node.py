#!/usr/bin/env python
"""Data-parallel MNIST (or the offline digits) MLP over many processes.

The same file runs as one process or many:

    python examples/mnist/train_mnist_multi_node.py --dataset digits
    dchain-launch -n 2 python examples/mnist/train_mnist_multi_node.py --dataset digits
    mpiexec -n 4 python examples/mnist/train_mnist_multi_node.py --dataset mnist

Rank 0 reads the dataset and scatters shards; gradients are averaged over all ranks by the
multi-node optimizer (overlapped with backward); validation accuracy is averaged over ranks.
Only rank 0 prints and writes logs, plots and snapshots.
"""
import argparse

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import training
from dchain.training import extensions


class MLP(dchain.Chain):
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
    parser.add_argument('--batchsize', '-b', type=int, default=64,
                        help='minibatch size per process')
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--unit', '-u', type=int, default=256)
    parser.add_argument('--communicator', default=None,
                        help='communicator name (default: the fastest for this machine)')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier (-1 or @numpy for the CPU, @cupy:N for GPU N)')
    parser.add_argument('--out', '-o', default='result_multi_node')
    parser.add_argument('--resume', action='store_true',
                        help='resume from the newest good snapshot in --out')
    args = parser.parse_args(argv)

    comm = mn.create_communicator(args.communicator)
    device = dchain.get_device(int(args.device) if args.device.lstrip('-').isdigit()
                               else args.device)
    if comm.rank == 0:
        print('dchain data-parallel MLP: {} process(es), dataset {}, {} units, batch {} per '
              'process, {} epochs'.format(comm.size, args.dataset, args.unit, args.batchsize,
                                          args.epoch))

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    optimizer = mn.create_multi_node_optimizer(dchain.optimizers.Adam(), comm)
    optimizer.setup(model)

    train, test = None, None
    if comm.rank == 0:
        if args.dataset == 'digits':
            train, test = dchain.datasets.get_digits()
        else:
            train, test = dchain.datasets.get_mnist()
    train = mn.scatter_dataset(train, comm, shuffle=True, seed=0)
    test = mn.scatter_dataset(test, comm)

    train_iter = dchain.iterators.SerialIterator(train, args.batchsize)
    test_iter = dchain.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    evaluator = mn.create_multi_node_evaluator(
        extensions.Evaluator(test_iter, model, device=device), comm)
    trainer.extend(evaluator)
    trainer.extend(mn.ObservationAggregator(comm, 'main/loss'))
    if comm.rank == 0:
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time']))
        trainer.extend(extensions.PlotReport(['main/loss', 'validation/main/loss'],
                                             'epoch', file_name='loss.png'))
        trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'],
                                             'epoch', file_name='accuracy.png'))
        trainer.extend(extensions.ProgressBar())
    checkpointer = mn.create_multi_node_checkpointer('mlp', comm)
    trainer.extend(checkpointer, trigger=(1, 'epoch'))
    if args.resume:
        checkpointer.maybe_load(trainer, optimizer)
    trainer.run()

    accuracy = float(evaluator()['validation/main/accuracy'])
    if comm.rank == 0:
        print('final validation accuracy: {:.4f}'.format(accuracy))
    return accuracy


if __name__ == '__main__':
    main()

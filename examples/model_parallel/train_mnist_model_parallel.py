#!/usr/bin/env python
"""An MLP split over two processes: layers 1-2 on rank 0, layer 3 and the loss on rank 1.

Activations travel forward and gradients backward with dchain's differentiable send/recv
(through ``MultiNodeChainList``); both ranks see the same minibatches because only rank 0
reads the data (``create_multi_node_iterator``).

    dchain-launch -n 2 python examples/model_parallel/train_mnist_model_parallel.py
    mpiexec -n 2 python examples/model_parallel/train_mnist_model_parallel.py --dataset mnist
"""
import argparse
import sys

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain.dataset import concat_examples


class Front(dchain.Chain):
    def __init__(self, n_units):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(n_units, n_units)

    def forward(self, x):
        return F.relu(self.l2(F.relu(self.l1(x))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits')
    parser.add_argument('--batchsize', '-b', type=int, default=64)
    parser.add_argument('--epoch', '-e', type=int, default=10)
    parser.add_argument('--unit', '-u', type=int, default=256)
    parser.add_argument('--device', '-d', default='-1', help='device specifier (CPU: -1)')
    args = parser.parse_args(argv)

    comm = mn.create_communicator()
    if comm.size != 2:
        sys.exit('this example needs exactly 2 processes (got {}): run it with '
                 'dchain-launch -n 2 or mpiexec -n 2'.format(comm.size))
    device = dchain.get_device(int(args.device) if args.device.lstrip('-').isdigit()
                               else args.device)
    model = mn.MultiNodeChainList(comm)
    if comm.rank == 0:
        model.add_link(Front(args.unit), rank_in=None, rank_out=1)
    else:
        model.add_link(L.Linear(args.unit, 10), rank_in=0, rank_out=None)
    model.to_device(device)
    optimizer = dchain.optimizers.Adam()
    optimizer.setup(model)

    train = test = None
    if comm.rank == 0:
        loader = dchain.datasets.get_digits if args.dataset == 'digits' else \
            dchain.datasets.get_mnist
        train, test = loader()
    train_iter = mn.create_multi_node_iterator(
        dchain.iterators.SerialIterator(train, args.batchsize) if comm.rank == 0 else None,
        comm)

    def step(batch, train_mode=True):
        x, t = concat_examples(batch, device)
        with dchain.using_config('train', train_mode):
            out = model(x)
        if comm.rank == 1:
            loss = F.softmax_cross_entropy(out, t)
            return loss, F.accuracy(out, t), out
        return None, None, out

    while train_iter.epoch < args.epoch:
        batch = train_iter.next()
        model.cleargrads()
        loss, _, out = step(batch)
        (loss if comm.rank == 1 else out).backward()
        optimizer.update()
        if train_iter.is_new_epoch and comm.rank == 1:
            print('epoch {:3d}  train loss {:.4f}'.format(train_iter.epoch,
                                                          float(loss.array)))

    # Validation: both ranks run the forward pass on rank 0's test batches.
    test_iter = mn.create_multi_node_iterator(
        dchain.iterators.SerialIterator(test, 256, repeat=False, shuffle=False)
        if comm.rank == 0 else None, comm)
    correct = total = 0
    with dchain.no_backprop_mode():
        for batch in test_iter:
            _, accuracy, _ = step(batch, train_mode=False)
            if comm.rank == 1:
                correct += float(accuracy.array) * len(batch)
                total += len(batch)
    if comm.rank == 1:
        accuracy = correct / total
        print('validation accuracy: {:.4f}'.format(accuracy))
        return accuracy
    return None


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Train an MLP on MNIST (or the offline 8x8 digits) with a hand-written training loop.

    python examples/mnist/train_mnist_custom_loop.py --dataset digits --epoch 10

The loop is the one of Chainer's tutorial: take a batch, forward, loss, cleargrads,
backward, update; after every epoch, run the test set and print loss and accuracy.
"""
import argparse
import os

import numpy as np

import dchain as chainer
import dchain.functions as F
import dchain.links as L
from dchain import serializers
from dchain.backends.cuda import to_cpu
from dchain.dataset import concat_examples


class MyNetwork(chainer.Chain):

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


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='dchain example: MNIST / digits, '
                                                 'hand-written training loop')
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits')
    parser.add_argument('--batchsize', '-b', type=int, default=128)
    parser.add_argument('--epoch', '-e', type=int, default=10)
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--device', '-d', type=str, default='-1',
                        help="-1 or '@numpy' for the CPU, 0 or '@cupy:0' for a GPU")
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--out', '-o', default='result', help='where the model is saved')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    np.random.seed(args.seed)
    try:
        device = chainer.get_device(int(args.device))
    except ValueError:
        device = chainer.get_device(args.device)

    if args.dataset == 'mnist':
        train, test = chainer.datasets.get_mnist(withlabel=True, ndim=1)
    else:
        train, test = chainer.datasets.get_digits(withlabel=True, ndim=1)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                 shuffle=False)

    model = MyNetwork(args.unit)
    model.to_device(device)
    optimizer = chainer.optimizers.MomentumSGD(lr=args.lr, momentum=0.9)
    optimizer.setup(model)

    val_accuracy = None
    while train_iter.epoch < args.epoch:
        train_batch = train_iter.next()
        image_train, target_train = concat_examples(train_batch, device)
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
            with chainer.using_config('train', False), chainer.no_backprop_mode():
                for test_batch in test_iter:
                    image_test, target_test = concat_examples(test_batch, device)
                    prediction_test = model(image_test)
                    loss_test = F.softmax_cross_entropy(prediction_test, target_test)
                    test_losses.append(to_cpu(loss_test.array))
                    accuracy = F.accuracy(prediction_test, target_test)
                    accuracy.to_cpu()
                    test_accuracies.append(accuracy.array)
            test_iter.reset()
            val_accuracy = float(np.mean(test_accuracies))
            print('val_loss:{:.04f} val_accuracy:{:.04f}'.format(
                np.mean(test_losses), val_accuracy))

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, 'mnist_custom_loop.model')
    serializers.save_npz(path, model)
    print('Final validation accuracy: {:.4f}'.format(val_accuracy))
    print('Model saved to {}'.format(path))
    return val_accuracy


if __name__ == '__main__':
    main()

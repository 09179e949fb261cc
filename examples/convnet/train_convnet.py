#!/usr/bin/env python
"""Train LeNet5, a small VGG or a small ResNet on the offline digits or on CIFAR-10.

    python examples/convnet/train_convnet.py --arch lenet5
    python examples/convnet/train_convnet.py --arch resnet --dataset cifar10 --epoch 10

The 8x8 digits are upsampled 3x and zero-padded to 28x28 (the input size LeNet5 was built
for); CIFAR-10 images are used as they are (3x32x32). Training logs, a loss/accuracy plot
and the trained model go to ``--out``; the last line printed is the test accuracy.
"""
import argparse
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402
import dchain.links as L  # noqa: E402
from dchain import training  # noqa: E402
from dchain.training import extensions  # noqa: E402

from models import ARCHS  # noqa: E402


def parse_device(spec):
    """Device specifier from the command line: '-1', '0', '@numpy', '@cupy:0'."""
    try:
        return chainer.get_device(int(spec))
    except ValueError:
        return chainer.get_device(spec)


def digits_28x28(dataset):
    """Upsample (1, 8, 8) digit images to (1, 28, 28): 3x nearest neighbour, 2-pixel border."""
    images = numpy.stack([x for x, _ in dataset])
    labels = numpy.array([t for _, t in dataset], dtype=numpy.int32)
    images = images.repeat(3, axis=2).repeat(3, axis=3)
    images = numpy.pad(images, ((0, 0), (0, 0), (2, 2), (2, 2)))
    return chainer.datasets.TupleDataset(images, labels)


def load_dataset(name):
    if name == 'digits':
        train, test = chainer.datasets.get_digits(ndim=3)
        return digits_28x28(train), digits_28x28(test)
    try:
        return chainer.datasets.get_cifar10(ndim=3)
    except OSError as e:
        raise SystemExit('CIFAR-10 is not available here ({}).\nPlace cifar-10-python.tar.gz '
                         'in $DCHAIN_DATASET_ROOT/cifar/raw/ or use --dataset digits.'
                         .format(e))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--arch', '-a', choices=sorted(ARCHS), default='lenet5',
                        help='network architecture')
    parser.add_argument('--dataset', choices=('digits', 'cifar10'), default='digits',
                        help='digits: the offline 8x8 digits; cifar10: CIFAR-10 when present')
    parser.add_argument('--batchsize', '-b', type=int, default=32,
                        help='number of images in each minibatch')
    parser.add_argument('--epoch', '-e', type=int, default=10,
                        help='number of sweeps over the training set')
    parser.add_argument('--iteration', '-i', type=int, default=None,
                        help='stop after this many iterations instead (for quick runs)')
    parser.add_argument('--n-examples', type=int, default=None,
                        help='use only this many training and test images (for quick runs)')
    parser.add_argument('--lr', type=float, default=0.001, help='Adam learning rate')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    parser.add_argument('--out', '-o', default='result', help='directory of the outputs')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    parser.add_argument('--no-plot', action='store_true',
                        help='do not draw accuracy.png (saves importing matplotlib)')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    device = parse_device(args.device)
    train, test = load_dataset(args.dataset)
    if args.n_examples:
        train = chainer.datasets.SubDataset(train, 0, min(args.n_examples, len(train)))
        test = chainer.datasets.SubDataset(test, 0, min(args.n_examples, len(test)))
    print('arch: {}  dataset: {}  train: {}  test: {}  device: {}'.format(
        args.arch, args.dataset, len(train), len(test), device))

    model = L.Classifier(ARCHS[args.arch](n_class=10))
    model.to_device(device)
    device.use()
    optimizer = chainer.optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, 256, repeat=False, shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    stop = (args.iteration, 'iteration') if args.iteration else (args.epoch, 'epoch')
    # Evaluate at every epoch end, and at the very end of a run cut short by --iteration.
    interval = (args.iteration, 'iteration') if args.iteration else (1, 'epoch')
    trainer = training.Trainer(updater, stop, out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model, device=device), trigger=interval)
    trainer.extend(extensions.LogReport(trigger=interval))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'iteration', 'main/loss', 'main/accuracy', 'validation/main/loss',
         'validation/main/accuracy', 'elapsed_time']))
    if not args.no_plot:
        trainer.extend(extensions.PlotReport(['main/accuracy', 'validation/main/accuracy'],
                                             'epoch', trigger=interval,
                                             filename='accuracy.png'))
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar(update_interval=10))
    trainer.run()

    model.to_cpu()
    chainer.serializers.save_npz(os.path.join(args.out, 'model.npz'), model)
    with open(os.path.join(args.out, 'log')) as f:
        last = json.load(f)[-1]
    accuracy = float(last['validation/main/accuracy'])
    print('test accuracy: {:.4f}'.format(accuracy))
    return accuracy


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Train the DCGAN of the tutorial on the offline digits (16x16) or on CIFAR-10 (32x32).

    python examples/dcgan/train_dcgan.py
    python examples/dcgan/train_dcgan.py --dataset cifar10 --ch 512 --epoch 100 --device 0

A custom updater (:class:`DCGANUpdater`) takes one batch per iteration and updates the
discriminator and the generator with their own Adam optimizers. After every epoch a grid of
generated images (fixed latent vectors, so the grids are comparable) is written to
``<out>/preview/image_epoch_<epoch>.png``.
"""
import argparse
import os
import sys
import tempfile

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402
import dchain.functions as F  # noqa: E402
from dchain import training  # noqa: E402
from dchain.training import extensions  # noqa: E402

from net import Discriminator, Generator  # noqa: E402


class DCGANUpdater(training.updaters.StandardUpdater):
    """One discriminator step and one generator step on each batch."""

    def __init__(self, *args, **kwargs):
        self.gen, self.dis = kwargs.pop('models')
        self.joint_batch = kwargs.pop('joint_batch', True)
        optimizers = kwargs['optimizer']
        try:
            super().__init__(*args, **kwargs)
        except ValueError:
            # Workaround: dchain's StandardUpdater insists on a 'main' optimizer (Chainer's
            # does not). Build it with one, then install the real {'gen', 'dis'} dict.
            kwargs['optimizer'] = {'main': optimizers['gen']}
            super().__init__(*args, **kwargs)
            self._optimizers = dict(optimizers)
            if self.device is not None:
                self.dis.to_device(self.device)

    def loss_dis(self, dis, y_fake, y_real):
        batchsize = len(y_fake)
        L1 = F.sum(F.softplus(-y_real)) / batchsize
        L2 = F.sum(F.softplus(y_fake)) / batchsize
        loss = L1 + L2
        chainer.report({'loss': loss}, dis)
        return loss

    def loss_gen(self, gen, y_fake):
        batchsize = len(y_fake)
        loss = F.sum(F.softplus(-y_fake)) / batchsize
        chainer.report({'loss': loss}, gen)
        return loss

    def update_core(self):
        gen_optimizer = self.get_optimizer('gen')
        dis_optimizer = self.get_optimizer('dis')
        batch = self.get_iterator('main').next()
        device = self.device
        x_real = chainer.Variable(self.converter(batch, device)) / 255.
        gen, dis = self.gen, self.dis
        batchsize = len(batch)

        z = chainer.Variable(device.xp.asarray(gen.make_hidden(batchsize)))
        x_fake = gen(z)
        if self.joint_batch:
            # One discriminator pass over real and fake images together, so that its batch
            # normalization uses statistics of both. With separate passes (the tutorial's
            # way) each fake batch is normalized by its own mean, which hides what all fakes
            # share from the discriminator; on the small digits set the generator then
            # collapses to one image within a few epochs.
            y = dis(F.concat([x_real, x_fake], axis=0))
            y_real, y_fake = F.split_axis(y, 2, axis=0)
        else:
            y_real = dis(x_real)
            y_fake = dis(x_fake)

        dis_optimizer.update(self.loss_dis, dis, y_fake, y_real)
        gen_optimizer.update(self.loss_gen, gen, y_fake)


def tile_images(x, rows, cols):
    """``(rows*cols, C, H, W)`` floats in [0, 1] -> one uint8 ``(rows*H, cols*W[, C])`` grid."""
    n, c, h, w = x.shape
    x = numpy.clip(x * 255., 0., 255.).astype(numpy.uint8)
    x = x.reshape(rows, cols, c, h, w).transpose(0, 3, 1, 4, 2).reshape(rows * h, cols * w, c)
    return x[:, :, 0] if c == 1 else x


def save_png_atomic(image, path):
    """Write a PNG through a temporary file and a rename: readers never see half a file."""
    from PIL import Image
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.tmp', suffix='.png', dir=directory)
    os.close(fd)
    try:
        Image.fromarray(image).save(tmp, format='PNG')
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def out_generated_image(gen, rows, cols, seed, dst):
    """Trainer extension: save a ``rows`` x ``cols`` grid of generated images."""
    @training.make_extension()
    def make_image(trainer):
        # The same latent vectors each time, so that successive grids show progress.
        state = numpy.random.get_state()
        numpy.random.seed(seed)
        z = gen.make_hidden(rows * cols)
        numpy.random.set_state(state)
        with chainer.using_config('train', False), chainer.no_backprop_mode():
            x = gen(gen.device.xp.asarray(z))
        x = chainer.get_device('@numpy').send(x.array)
        path = os.path.join(dst, 'preview',
                            'image_epoch_{:04d}.png'.format(trainer.updater.epoch))
        save_png_atomic(tile_images(numpy.asarray(x), rows, cols), path)
    return make_image


def parse_device(spec):
    """Device specifier from the command line: '-1', '0', '@numpy', '@cupy:0'."""
    try:
        return chainer.get_device(int(spec))
    except ValueError:
        return chainer.get_device(spec)


def load_images(name, n_examples):
    """Training images as float32 ``(N, C, H, W)`` in [0, 255] (the updater divides by 255)."""
    if name == 'digits':
        train, _ = chainer.datasets.get_digits(withlabel=False, ndim=3, scale=255.)
        # 8x8 -> 16x16 (nearest neighbour): three stride-2 layers need a multiple of 8.
        images = train.repeat(2, axis=2).repeat(2, axis=3)
    else:
        try:
            images, _ = chainer.datasets.get_cifar10(withlabel=False, scale=255.)
        except OSError as e:
            raise SystemExit('CIFAR-10 is not available here ({}).\nPlace '
                             'cifar-10-python.tar.gz in $DCHAIN_DATASET_ROOT/cifar/raw/ or use '
                             '--dataset digits.'.format(e))
    images = numpy.asarray(images, dtype=numpy.float32)
    if n_examples:
        images = images[:n_examples]
    return images


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dataset', choices=('digits', 'cifar10'), default='digits',
                        help='digits: offline 8x8 digits upsampled to 16x16; cifar10: 32x32')
    parser.add_argument('--batchsize', '-b', type=int, default=50,
                        help='number of images in each minibatch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the dataset')
    parser.add_argument('--iteration', '-i', type=int, default=None,
                        help='stop after this many iterations instead (for quick runs)')
    parser.add_argument('--n-hidden', '-n', type=int, default=100,
                        help='dimension of the latent vector')
    parser.add_argument('--ch', type=int, default=64,
                        help='channels at the bottom of the networks (the tutorial uses 512)')
    parser.add_argument('--alpha', type=float, default=0.0002, help='Adam learning rate')
    parser.add_argument('--n-examples', type=int, default=None,
                        help='use only this many training images (for quick runs)')
    parser.add_argument('--separate-batches', action='store_true',
                        help='run the discriminator on real and fake batches separately, '
                        'as the tutorial does (default: one pass over both)')
    parser.add_argument('--rows', type=int, default=8, help='rows of the image grid')
    parser.add_argument('--cols', type=int, default=8, help='columns of the image grid')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    parser.add_argument('--out', '-o', default='result', help='directory of the outputs')
    parser.add_argument('--seed', type=int, default=0, help='seed of the preview latents')
    parser.add_argument('--display-interval', type=int, default=10,
                        help='iterations between log lines')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    device = parse_device(args.device)
    train = load_images(args.dataset, args.n_examples)
    channels, size = train.shape[1], train.shape[2]
    bottom_width = size // 8
    print('dataset: {}  images: {}  shape: {}  device: {}'.format(
        args.dataset, len(train), train.shape[1:], device))

    gen = Generator(n_hidden=args.n_hidden, bottom_width=bottom_width, ch=args.ch,
                    out_ch=channels)
    dis = Discriminator(bottom_width=bottom_width, ch=args.ch, in_ch=channels)
    gen.to_device(device)
    dis.to_device(device)
    device.use()

    def make_optimizer(model, alpha=0.0002, beta1=0.5):
        optimizer = chainer.optimizers.Adam(alpha=alpha, beta1=beta1)
        optimizer.setup(model)
        optimizer.add_hook(chainer.optimizer_hooks.WeightDecay(0.0001), 'hook_dec')
        return optimizer

    opt_gen = make_optimizer(gen, args.alpha)
    opt_dis = make_optimizer(dis, args.alpha)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    updater = DCGANUpdater(models=(gen, dis), iterator=train_iter,
                           optimizer={'gen': opt_gen, 'dis': opt_dis}, device=device,
                           joint_batch=not args.separate_batches)
    stop = (args.iteration, 'iteration') if args.iteration else (args.epoch, 'epoch')
    trainer = training.Trainer(updater, stop, out=args.out)
    display = (args.display_interval, 'iteration')
    trainer.extend(extensions.snapshot_object(gen, 'gen_epoch_{.updater.epoch}.npz'),
                   trigger=(1, 'epoch'))
    trainer.extend(extensions.snapshot_object(dis, 'dis_epoch_{.updater.epoch}.npz'),
                   trigger=(1, 'epoch'))
    trainer.extend(extensions.LogReport(trigger=display))
    trainer.extend(extensions.PrintReport(['epoch', 'iteration', 'gen/loss', 'dis/loss']),
                   trigger=display)
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar(update_interval=10))
    grid = out_generated_image(gen, args.rows, args.cols, args.seed, args.out)
    trainer.extend(grid, trigger=(1, 'epoch'))
    trainer.run()
    # A run cut short by --iteration still leaves the latest grid.
    grid(trainer)
    chainer.serializers.save_npz(os.path.join(args.out, 'gen.npz'), gen)


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Learn word embeddings on Penn Treebank with skip-gram or CBoW and negative sampling.

    python examples/word2vec/train_word2vec.py --model skipgram
    python examples/word2vec/train_word2vec.py --model cbow --out-type original
    python examples/word2vec/search.py --model result/word2vec.model --query "stock market"

The corpus is ``dchain.datasets.get_ptb_words()`` (``$DCHAIN_DATASET_ROOT/ptb/raw/``). At the
end the embeddings are written as text to ``<out>/word2vec.model``: a header line
``<n_vocab> <n_units>``, then one line per word, ``<word> <v1> <v2> ...``; ``search.py`` reads
that file.
"""
import argparse
import collections
import os

import numpy

import dchain as chainer
import dchain.functions as F
import dchain.initializers as I
import dchain.links as L
from dchain import reporter
from dchain import training
from dchain.training import extensions


class SkipGram(chainer.Chain):
    """Predict the centre word from each context word's embedding (one loss per pair)."""

    def __init__(self, n_vocab, n_units, loss_func):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units, initialW=I.Uniform(1. / n_units))
            self.loss_func = loss_func

    def forward(self, x, contexts):
        e = self.embed(contexts)
        batch_size, n_context, n_units = e.shape
        x = F.broadcast_to(x[:, None], (batch_size, n_context))
        e = F.reshape(e, (batch_size * n_context, n_units))
        x = F.reshape(x, (batch_size * n_context,))
        loss = self.loss_func(e, x)
        reporter.report({'loss': loss}, self)
        return loss


class ContinuousBoW(chainer.Chain):
    """Predict the centre word from the mean of its context words' embeddings."""

    def __init__(self, n_vocab, n_units, loss_func):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units, initialW=I.Uniform(1. / n_units))
            self.loss_func = loss_func

    def forward(self, x, contexts):
        e = self.embed(contexts)
        h = F.sum(e, axis=1) * (1. / contexts.shape[1])
        loss = self.loss_func(h, x)
        reporter.report({'loss': loss}, self)
        return loss


class SoftmaxCrossEntropyLoss(chainer.Chain):
    """Full softmax over the vocabulary (``--out-type original``): exact but slow."""

    def __init__(self, n_in, n_out):
        super().__init__()
        with self.init_scope():
            self.out = L.Linear(n_in, n_out, initialW=0)

    def forward(self, x, t):
        return F.softmax_cross_entropy(self.out(x), t)


class WindowIterator(chainer.dataset.Iterator):
    """Batches of (centre words, context words) at random positions of the corpus.

    Each batch uses one window width ``w`` drawn from ``1 .. window - 1``; the contexts are
    the ``w`` words on each side of the centre.
    """

    def __init__(self, dataset, window, batch_size, repeat=True):
        if window < 2:
            raise ValueError('window must be at least 2, got {}'.format(window))
        if len(dataset) <= 2 * window:
            raise ValueError('the corpus ({} words) is too short for window {}'.format(
                len(dataset), window))
        self.dataset = numpy.array(dataset, numpy.int32)
        self.window = window
        self.batch_size = batch_size
        self._repeat = repeat
        # Centre positions that have a full window on both sides, in random order.
        self.order = numpy.random.permutation(len(dataset) - window * 2).astype(numpy.int32)
        self.order += window
        self.reset()

    def reset(self):
        self.current_position = 0
        self.epoch = 0
        self.is_new_epoch = False
        self._previous_epoch_detail = -1.

    def __next__(self):
        if not self._repeat and self.epoch > 0:
            raise StopIteration
        self._previous_epoch_detail = self.epoch_detail
        i = self.current_position
        i_end = i + self.batch_size
        position = self.order[i:i_end]
        w = numpy.random.randint(self.window - 1) + 1
        offset = numpy.concatenate([numpy.arange(-w, 0), numpy.arange(1, w + 1)])
        pos = position[:, None] + offset[None, :]
        contexts = self.dataset.take(pos)
        center = self.dataset.take(position)
        if i_end >= len(self.order):
            numpy.random.shuffle(self.order)
            self.epoch += 1
            self.is_new_epoch = True
            self.current_position = 0
        else:
            self.is_new_epoch = False
            self.current_position = i_end
        return center, contexts

    @property
    def epoch_detail(self):
        return self.epoch + float(self.current_position) / len(self.order)

    @property
    def previous_epoch_detail(self):
        # dchain's epoch triggers compare this with epoch_detail to find epoch boundaries.
        return None if self._previous_epoch_detail < 0 else self._previous_epoch_detail

    def serialize(self, serializer):
        self.current_position = serializer('current_position', self.current_position)
        self.epoch = serializer('epoch', self.epoch)
        self.is_new_epoch = serializer('is_new_epoch', self.is_new_epoch)
        self._previous_epoch_detail = serializer('previous_epoch_detail',
                                                 self._previous_epoch_detail)
        serializer('order', self.order)


def convert(batch, device):
    center, contexts = batch
    if device is not None:
        center = device.send(center)
        contexts = device.send(contexts)
    return center, contexts


def save_embeddings(path, W, index2word):
    """Write the text model atomically (search.py may be reading an older one)."""
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('{} {}\n'.format(*W.shape))
        for i, vector in enumerate(W):
            f.write('{} {}\n'.format(index2word[i], ' '.join('{:.6f}'.format(v)
                                                              for v in vector)))
    os.replace(tmp, path)


def parse_device(spec):
    """Device specifier from the command line: '-1', '0', '@numpy', '@cupy:0'."""
    try:
        return chainer.get_device(int(spec))
    except ValueError:
        return chainer.get_device(spec)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--unit', '-u', type=int, default=100,
                        help='dimension of the embeddings')
    parser.add_argument('--window', '-w', type=int, default=5,
                        help='largest context window (on each side) is window - 1')
    parser.add_argument('--batchsize', '-b', type=int, default=1000,
                        help='centre words in each minibatch')
    parser.add_argument('--epoch', '-e', type=int, default=3,
                        help='number of sweeps over the corpus')
    parser.add_argument('--model', '-m', choices=['skipgram', 'cbow'], default='skipgram',
                        help='skip-gram or continuous bag of words')
    parser.add_argument('--negative-size', type=int, default=5,
                        help='negative samples per positive pair')
    parser.add_argument('--out-type', '-o', choices=['ns', 'original'], default='ns',
                        help='ns: negative sampling; original: full softmax')
    parser.add_argument('--test', action='store_true',
                        help='use tiny slices of the corpus for a quick check')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    parser.add_argument('--out', default='result', help='directory of the outputs')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    device = parse_device(args.device)
    train, val, _ = chainer.datasets.get_ptb_words()
    vocab = chainer.datasets.get_ptb_words_vocabulary()
    index2word = {wid: word for word, wid in vocab.items()}
    n_vocab = len(vocab)
    if args.test:
        train, val = train[:2000], val[:400]
    counts = collections.Counter(train.tolist())
    counts.update(collections.Counter(val.tolist()))
    print('model: {}  output: {}  n_vocab: {}  train words: {}  device: {}'.format(
        args.model, args.out_type, n_vocab, len(train), device))

    if args.out_type == 'ns':
        # Words never seen get count 0, so they are never drawn as negatives.
        cs = [counts[w] for w in range(n_vocab)]
        loss_func = L.NegativeSampling(args.unit, cs, args.negative_size)
        loss_func.W.array[...] = 0
    else:
        loss_func = SoftmaxCrossEntropyLoss(args.unit, n_vocab)
    model_class = SkipGram if args.model == 'skipgram' else ContinuousBoW
    model = model_class(n_vocab, args.unit, loss_func)
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)

    train_iter = WindowIterator(train, args.window, args.batchsize)
    val_iter = WindowIterator(val, args.window, args.batchsize, repeat=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, converter=convert,
                                                device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(val_iter, model, converter=convert, device=device))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch', 'main/loss', 'validation/main/loss',
                                           'elapsed_time']))
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar())
    trainer.run()

    W = chainer.get_device('@numpy').send(model.embed.W.array)
    path = os.path.join(args.out, 'word2vec.model')
    save_embeddings(path, W, index2word)
    print('embeddings written to {}'.format(path))


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Train an LSTM encoder-decoder (NStepLSTM) on a parallel corpus; report BLEU.

    python examples/seq2seq/seq2seq.py SOURCE TARGET SOURCE_VOCAB TARGET_VOCAB \\
        --validation-source VSOURCE --validation-target VTARGET

Input format (the tutorial's): SOURCE and TARGET hold one tokenized sentence per line
(tokens separated by spaces; line i of both files is one pair); each vocabulary file lists one
word per line (ids 0 and 1 are reserved for ``<UNK>`` and ``<EOS>``). ``make_toy_data.py``
writes a small corpus of this form. BLEU of greedy translations of the validation pairs is
reported at each validation; at the end the model goes to ``<out>/model.npz`` (+
``model.json``) and the validation translations to ``<out>/translations.txt``.
"""
import argparse
import io
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402
import dchain.functions as F  # noqa: E402
import dchain.links as L  # noqa: E402
from dchain import training  # noqa: E402
from dchain.training import extensions  # noqa: E402

from bleu import corpus_bleu  # noqa: E402

UNK = 0
EOS = 1


def sequence_embed(embed, xs):
    """Embed a list of id arrays with one EmbedID call; return the list of embeddings."""
    x_len = [len(x) for x in xs]
    x_section = numpy.cumsum(x_len[:-1])
    ex = embed(F.concat(xs, axis=0))
    return F.split_axis(ex, x_section, 0)


def run_nstep(rnn, hx, cx, xs):
    """``rnn(hx, cx, xs)`` for sequences in any order.

    Chainer's NStepLSTM link sorts the batch by length itself; dchain's requires ``xs``
    sorted by decreasing length, so sort here and restore the order of the states and
    outputs afterwards.
    """
    order = numpy.argsort([-len(x) for x in xs], kind='stable')
    if (order == numpy.arange(len(xs))).all():
        return rnn(hx, cx, xs)
    index = rnn.xp.asarray(order.astype(numpy.int32))
    if hx is not None:
        hx = F.permutate(hx, index, axis=1)
    if cx is not None:
        cx = F.permutate(cx, index, axis=1)
    hy, cy, ys = rnn(hx, cx, [xs[i] for i in order])
    hy = F.permutate(hy, index, axis=1, inv=True)
    cy = F.permutate(cy, index, axis=1, inv=True)
    restored = [None] * len(xs)
    for k, i in enumerate(order):
        restored[i] = ys[k]
    return hy, cy, restored


class Seq2seq(chainer.Chain):

    def __init__(self, n_layers, n_source_vocab, n_target_vocab, n_units, dropout=0.1):
        super().__init__()
        with self.init_scope():
            self.embed_x = L.EmbedID(n_source_vocab, n_units)
            self.embed_y = L.EmbedID(n_target_vocab, n_units)
            self.encoder = L.NStepLSTM(n_layers, n_units, n_units, dropout)
            self.decoder = L.NStepLSTM(n_layers, n_units, n_units, dropout)
            self.W = L.Linear(n_units, n_target_vocab)
        self.n_layers = n_layers
        self.n_units = n_units

    def forward(self, xs, ys):
        # Reversed sources: the first target words then sit close to the first source words.
        xs = [x[::-1] for x in xs]
        eos = self.xp.array([EOS], numpy.int32)
        ys_in = [F.concat([eos, y], axis=0) for y in ys]
        ys_out = [F.concat([y, eos], axis=0) for y in ys]
        exs = sequence_embed(self.embed_x, xs)
        eys = sequence_embed(self.embed_y, ys_in)
        batch = len(xs)
        # None: the encoder starts from zero states.
        hx, cx, _ = run_nstep(self.encoder, None, None, exs)
        _, _, os_ = run_nstep(self.decoder, hx, cx, eys)
        # One output matmul for the whole batch.
        concat_os = F.concat(os_, axis=0)
        concat_ys_out = F.concat(ys_out, axis=0)
        loss = F.sum(F.softmax_cross_entropy(self.W(concat_os), concat_ys_out,
                                             reduce='no')) / batch
        chainer.report({'loss': loss}, self)
        n_words = concat_ys_out.shape[0]
        perp = self.xp.exp(loss.array * batch / n_words)
        chainer.report({'perp': perp}, self)
        return loss

    def translate(self, xs, max_length=100):
        """Greedy decoding: the most probable word at each step, until EOS or max_length."""
        batch = len(xs)
        with chainer.no_backprop_mode(), chainer.using_config('train', False):
            xs = [x[::-1] for x in xs]
            exs = sequence_embed(self.embed_x, xs)
            h, c, _ = run_nstep(self.encoder, None, None, exs)
            ys = self.xp.full(batch, EOS, numpy.int32)
            result = []
            for _ in range(max_length):
                eys = self.embed_y(ys)
                eys = F.split_axis(eys, batch, 0)
                h, c, ys = self.decoder(h, c, eys)
                cys = F.concat(ys, axis=0)
                wy = self.W(cys)
                ys = self.xp.argmax(wy.array, axis=1).astype(numpy.int32)
                result.append(ys)
                if bool((ys == EOS).all()) and len(result) > 1:
                    break
            result = chainer.get_device('@numpy').send(self.xp.stack(result).T)
        outs = []
        for y in result:
            inds = numpy.argwhere(y == EOS)
            if len(inds) > 0:
                y = y[:inds[0, 0]]
            outs.append(y)
        return outs


def load_vocabulary(path):
    with io.open(path, encoding='utf-8') as f:
        # +2 for UNK and EOS
        word_ids = {line.strip(): i + 2 for i, line in enumerate(f) if line.strip()}
    word_ids['<UNK>'] = UNK
    word_ids['<EOS>'] = EOS
    return word_ids


def load_data(vocabulary, path):
    data = []
    with io.open(path, encoding='utf-8') as f:
        for line in f:
            words = line.strip().split()
            data.append(numpy.array([vocabulary.get(w, UNK) for w in words], numpy.int32))
    return data


def calculate_unknown_ratio(data):
    unknown = sum((s == UNK).sum() for s in data)
    total = sum(s.size for s in data)
    return unknown / max(total, 1)


def convert(batch, device):
    def to_device_batch(arrays):
        if device is None:
            return arrays
        return [device.send(a) for a in arrays]
    return {'xs': to_device_batch([x for x, _ in batch]),
            'ys': to_device_batch([y for _, y in batch])}


def translate_all(model, sources, device, batch=100, max_length=100):
    hypotheses = []
    for i in range(0, len(sources), batch):
        xs = [device.send(x) for x in sources[i:i + batch]]
        hypotheses.extend(y.tolist() for y in model.translate(xs, max_length))
    return hypotheses


class CalculateBleu(training.Extension):
    """Report the BLEU of greedy translations of ``test_data`` under ``key``."""

    trigger = 1, 'epoch'
    priority = training.PRIORITY_WRITER

    def __init__(self, model, test_data, key, device, batch=100, max_length=100):
        self.model = model
        self.test_data = test_data
        self.key = key
        self.batch = batch
        self.device = device
        self.max_length = max_length

    def __call__(self, trainer):
        sources = [s for s, _ in self.test_data]
        references = [[t.tolist()] for _, t in self.test_data]
        hypotheses = translate_all(self.model, sources, self.device, self.batch,
                                   self.max_length)
        chainer.report({self.key: corpus_bleu(references, hypotheses)})


def parse_device(spec):
    """Device specifier from the command line: '-1', '0', '@numpy', '@cupy:0'."""
    try:
        return chainer.get_device(int(spec))
    except ValueError:
        return chainer.get_device(spec)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('SOURCE', help='source sentence list')
    parser.add_argument('TARGET', help='target sentence list')
    parser.add_argument('SOURCE_VOCAB', help='source vocabulary file')
    parser.add_argument('TARGET_VOCAB', help='target vocabulary file')
    parser.add_argument('--validation-source', help='source sentence list for validation')
    parser.add_argument('--validation-target', help='target sentence list for validation')
    parser.add_argument('--batchsize', '-b', type=int, default=64,
                        help='number of sentence pairs in each minibatch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the dataset')
    parser.add_argument('--resume', '-r', type=str, help='resume from this snapshot')
    parser.add_argument('--unit', '-u', type=int, default=128,
                        help='number of units (the tutorial uses 1024)')
    parser.add_argument('--layer', '-l', type=int, default=2,
                        help='number of layers (the tutorial uses 3)')
    parser.add_argument('--lr', type=float, default=0.001, help='Adam learning rate')
    parser.add_argument('--min-source-sentence', type=int, default=1)
    parser.add_argument('--max-source-sentence', type=int, default=50)
    parser.add_argument('--min-target-sentence', type=int, default=1)
    parser.add_argument('--max-target-sentence', type=int, default=50)
    parser.add_argument('--log-interval', type=int, default=20,
                        help='iterations between log lines')
    parser.add_argument('--validation-interval', type=int, default=100,
                        help='iterations between BLEU evaluations on the validation set')
    parser.add_argument('--max-length', type=int, default=100,
                        help='longest translation the greedy decoder produces')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    parser.add_argument('--out', '-o', default='result', help='directory of the outputs')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    args = parser.parse_args(argv)
    if (args.validation_source is None) != (args.validation_target is None):
        parser.error('give both --validation-source and --validation-target, or neither')

    numpy.random.seed(args.seed)
    device = parse_device(args.device)
    source_ids = load_vocabulary(args.SOURCE_VOCAB)
    target_ids = load_vocabulary(args.TARGET_VOCAB)
    train_source = load_data(source_ids, args.SOURCE)
    train_target = load_data(target_ids, args.TARGET)
    if len(train_source) != len(train_target):
        raise SystemExit('{} has {} lines but {} has {}'.format(
            args.SOURCE, len(train_source), args.TARGET, len(train_target)))
    train_data = [(s, t) for s, t in zip(train_source, train_target)
                  if args.min_source_sentence <= len(s) <= args.max_source_sentence and
                  args.min_target_sentence <= len(t) <= args.max_target_sentence]
    print('Source vocabulary size: {}'.format(len(source_ids)))
    print('Target vocabulary size: {}'.format(len(target_ids)))
    print('Train data size: {}'.format(len(train_data)))
    print('Train source unknown ratio: {:.2f}%'.format(
        calculate_unknown_ratio([s for s, _ in train_data]) * 100))
    target_words = {i: w for w, i in target_ids.items()}
    source_words = {i: w for w, i in source_ids.items()}

    model = Seq2seq(args.layer, len(source_ids), len(target_ids), args.unit)
    model.to_device(device)
    device.use()
    optimizer = chainer.optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)

    train_iter = chainer.iterators.SerialIterator(train_data, args.batchsize)
    updater = training.updaters.StandardUpdater(train_iter, optimizer, converter=convert,
                                                device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    log_trigger = (args.log_interval, 'iteration')
    trainer.extend(extensions.LogReport(trigger=log_trigger))
    trainer.extend(extensions.PrintReport(['epoch', 'iteration', 'main/loss', 'main/perp',
                                           'validation/main/bleu', 'elapsed_time']),
                   trigger=log_trigger)

    test_data = None
    if args.validation_source is not None:
        test_source = load_data(source_ids, args.validation_source)
        test_target = load_data(target_ids, args.validation_target)
        if len(test_source) != len(test_target):
            raise SystemExit('the validation files have different numbers of lines')
        test_data = [(s, t) for s, t in zip(test_source, test_target)
                     if len(s) > 0 and len(t) > 0]
        print('Validation data: {}'.format(len(test_data)))

        @training.make_extension()
        def translate(trainer):
            source, target = test_data[numpy.random.choice(len(test_data))]
            result = model.translate([device.send(source)], args.max_length)[0]
            print('# source : ' + ' '.join(source_words[x] for x in source))
            print('# result : ' + ' '.join(target_words[int(y)] for y in result))
            print('# expect : ' + ' '.join(target_words[y] for y in target))

        val_trigger = (args.validation_interval, 'iteration')
        trainer.extend(translate, trigger=val_trigger)
        trainer.extend(CalculateBleu(model, test_data, 'validation/main/bleu', device,
                                     max_length=args.max_length), trigger=val_trigger)
    trainer.extend(extensions.snapshot(filename='snapshot_epoch_{.updater.epoch}'),
                   trigger=(1, 'epoch'))
    if args.resume is not None:
        chainer.serializers.load_npz(args.resume, trainer)
    trainer.run()

    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump({'layer': args.layer, 'unit': args.unit,
                   'source_vocab': os.path.abspath(args.SOURCE_VOCAB),
                   'target_vocab': os.path.abspath(args.TARGET_VOCAB)}, f)
    chainer.serializers.save_npz(os.path.join(args.out, 'model.npz'), model)
    if test_data is not None:
        hypotheses = translate_all(model, [s for s, _ in test_data], device,
                                   max_length=args.max_length)
        bleu = corpus_bleu([[t.tolist()] for _, t in test_data], hypotheses)
        with open(os.path.join(args.out, 'translations.txt'), 'w', encoding='utf-8') as f:
            for hyp in hypotheses:
                f.write(' '.join(target_words[y] for y in hyp) + '\n')
        print('validation BLEU: {:.4f}'.format(bleu))
        return bleu
    return None


if __name__ == '__main__':
    main()

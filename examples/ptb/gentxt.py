#!/usr/bin/env python
"""Generate text with a language model trained by ``train_ptb.py``.

    python examples/ptb/gentxt.py --model result/model.npz --primetext the --length 20

Starting from the prime word(s), each next word is sampled from the model's softmax (sharpened
or flattened by ``--temperature``; ``--greedy`` takes the most probable word instead).
``<eos>`` is printed as a line break.
"""
import argparse
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402
import dchain.functions as F  # noqa: E402
import dchain.links as L  # noqa: E402

from rnnlm import RNNForLM  # noqa: E402


def sample_words(rnn, prime_ids, length, rng, temperature=1.0, greedy=False):
    """Feed ``prime_ids``, then sample ``length`` word ids one at a time."""
    xp = rnn.xp
    rnn.reset_state()
    out = []
    with chainer.using_config('train', False), chainer.no_backprop_mode():
        for wid in prime_ids[:-1]:
            rnn(xp.asarray([wid], dtype=numpy.int32))
        wid = prime_ids[-1]
        for _ in range(length):
            logits = rnn(xp.asarray([wid], dtype=numpy.int32))
            prob = chainer.get_device('@numpy').send(
                F.softmax(logits / temperature).array)[0].astype(numpy.float64)
            if greedy:
                wid = int(prob.argmax())
            else:
                wid = int(rng.choice(len(prob), p=prob / prob.sum()))
            out.append(wid)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', '-m', default='result/model.npz',
                        help='model file written by train_ptb.py')
    parser.add_argument('--unit', '-u', type=int, default=None,
                        help='LSTM units (default: read from model.json beside the model)')
    parser.add_argument('--primetext', '-p', default='the',
                        help='words to start the text with (all must be in the vocabulary)')
    parser.add_argument('--length', '-l', type=int, default=20, help='words to generate')
    parser.add_argument('--temperature', '-t', type=float, default=1.0,
                        help='softmax temperature of the sampling')
    parser.add_argument('--greedy', action='store_true', help='take the most probable word')
    parser.add_argument('--seed', '-s', type=int, default=None, help='random seed')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    args = parser.parse_args(argv)

    try:
        device = chainer.get_device(int(args.device))
    except ValueError:
        device = chainer.get_device(args.device)
    vocab = chainer.datasets.get_ptb_words_vocabulary()
    ivocab = {i: w for w, i in vocab.items()}
    meta_path = os.path.join(os.path.dirname(args.model), 'model.json')
    meta = {}
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
    n_units = args.unit or meta.get('unit')
    if n_units is None:
        parser.error('--unit is needed (no model.json beside {})'.format(args.model))
    n_vocab = meta.get('n_vocab', len(vocab))

    rnn = RNNForLM(n_vocab, n_units)
    model = L.Classifier(rnn)
    chainer.serializers.load_npz(args.model, model)
    model.to_device(device)

    prime = args.primetext.split()
    unknown = [w for w in prime if w not in vocab]
    if unknown:
        raise SystemExit('not in the vocabulary: {}'.format(' '.join(unknown)))
    rng = numpy.random.RandomState(args.seed)
    ids = sample_words(rnn, [vocab[w] for w in prime], args.length, rng,
                       temperature=args.temperature, greedy=args.greedy)
    words = prime + [ivocab[i] for i in ids]
    text = ' '.join(words).replace(' <eos> ', '\n').replace('<eos>', '\n')
    print(text)
    return words


if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Write a toy parallel corpus in seq2seq.py's input format: reverse (or copy) sequences.

    python examples/seq2seq/make_toy_data.py toy --task reverse
    python examples/seq2seq/seq2seq.py toy/train.src toy/train.tgt toy/vocab.src toy/vocab.tgt \\
        --validation-source toy/valid.src --validation-target toy/valid.tgt

Sources are random sequences of the words ``w0 .. w{n-1}``; targets are the same words
reversed (``--task reverse``) or unchanged (``--task copy``), spelled in upper case so the two
vocabularies differ.
"""
import argparse
import os

import numpy


def make_pairs(rng, n, n_words, min_len, max_len, task):
    pairs = []
    for _ in range(n):
        length = rng.randint(min_len, max_len + 1)
        src = ['w{}'.format(i) for i in rng.randint(0, n_words, length)]
        tgt = [w.upper() for w in (src[::-1] if task == 'reverse' else src)]
        pairs.append((src, tgt))
    return pairs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out', help='directory to write the files into')
    parser.add_argument('--task', choices=('reverse', 'copy'), default='reverse')
    parser.add_argument('--n-train', type=int, default=2000)
    parser.add_argument('--n-valid', type=int, default=100)
    parser.add_argument('--n-words', type=int, default=10, help='vocabulary size')
    parser.add_argument('--min-len', type=int, default=3)
    parser.add_argument('--max-len', type=int, default=8)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    rng = numpy.random.RandomState(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for split, n in (('train', args.n_train), ('valid', args.n_valid)):
        pairs = make_pairs(rng, n, args.n_words, args.min_len, args.max_len, args.task)
        for ext, side in (('src', 0), ('tgt', 1)):
            with open(os.path.join(args.out, '{}.{}'.format(split, ext)), 'w') as f:
                f.writelines(' '.join(p[side]) + '\n' for p in pairs)
    words = ['w{}'.format(i) for i in range(args.n_words)]
    with open(os.path.join(args.out, 'vocab.src'), 'w') as f:
        f.writelines(w + '\n' for w in words)
    with open(os.path.join(args.out, 'vocab.tgt'), 'w') as f:
        f.writelines(w.upper() + '\n' for w in words)


if __name__ == '__main__':
    main()

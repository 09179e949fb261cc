#!/usr/bin/env python
"""Translate sentences greedily with a model trained by ``seq2seq.py``.

    echo "w1 w2 w3" | python examples/seq2seq/translate.py --model result/model.npz
    python examples/seq2seq/translate.py --model result/model.npz --input sentences.txt

Each input line is one tokenized source sentence; each output line its translation. The
vocabularies and the model's size are read from ``model.json`` beside the model.
"""
import argparse
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402

from seq2seq import Seq2seq, UNK, load_vocabulary, parse_device, translate_all  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', '-m', default='result/model.npz',
                        help='model file written by seq2seq.py')
    parser.add_argument('--input', '-i', default=None,
                        help='file of source sentences (default: standard input)')
    parser.add_argument('--max-length', type=int, default=100,
                        help='longest translation produced')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    args = parser.parse_args(argv)

    with open(os.path.join(os.path.dirname(args.model), 'model.json')) as f:
        meta = json.load(f)
    source_ids = load_vocabulary(meta['source_vocab'])
    target_ids = load_vocabulary(meta['target_vocab'])
    target_words = {i: w for w, i in target_ids.items()}
    device = parse_device(args.device)
    model = Seq2seq(meta['layer'], len(source_ids), len(target_ids), meta['unit'])
    chainer.serializers.load_npz(args.model, model)
    model.to_device(device)

    lines = open(args.input, encoding='utf-8') if args.input else sys.stdin
    sources = [numpy.array([source_ids.get(w, UNK) for w in line.split()], numpy.int32)
               for line in lines if line.strip()]
    if args.input:
        lines.close()
    for hyp in translate_all(model, sources, device, max_length=args.max_length):
        print(' '.join(target_words[y] for y in hyp))


if __name__ == '__main__':
    main()

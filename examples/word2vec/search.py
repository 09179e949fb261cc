#!/usr/bin/env python
"""Nearest words by cosine similarity in embeddings written by ``train_word2vec.py``.

    python examples/word2vec/search.py --model result/word2vec.model --query "apple stock"
    python examples/word2vec/search.py              # interactive: type a word at the >> prompt
"""
import argparse
import sys

import numpy


def load_model(path):
    """Return ``(words, unit-length vectors)`` from the text format."""
    with open(path, encoding='utf-8') as f:
        n_vocab, n_units = (int(v) for v in f.readline().split())
        words = []
        W = numpy.empty((n_vocab, n_units), dtype=numpy.float32)
        for i, line in enumerate(f):
            fields = line.rstrip('\n').split(' ')
            words.append(fields[0])
            W[i] = numpy.asarray(fields[1:], dtype=numpy.float32)
    if len(words) != n_vocab:
        raise ValueError('{}: header says {} words, found {}'.format(path, n_vocab, len(words)))
    norm = numpy.linalg.norm(W, axis=1, keepdims=True)
    return words, W / numpy.maximum(norm, 1e-12)


def nearest(words, W, query, n_result=5):
    """The ``n_result`` words most similar to ``query`` (itself excluded) with their scores."""
    word2index = {w: i for i, w in enumerate(words)}
    if query not in word2index:
        raise KeyError(query)
    scores = W @ W[word2index[query]]
    result = []
    for i in numpy.argsort(-scores):
        if words[i] == query:
            continue
        result.append((words[i], float(scores[i])))
        if len(result) == n_result:
            break
    return result


def show(words, W, query, n_result):
    print('query: {}'.format(query))
    try:
        for word, score in nearest(words, W, query, n_result):
            print('{}: {:.6f}'.format(word, score))
    except KeyError:
        print('"{}" is not in the vocabulary'.format(query))
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', '-m', default='result/word2vec.model',
                        help='embedding file written by train_word2vec.py')
    parser.add_argument('--query', '-q', default=None,
                        help='space-separated words to look up (default: read from stdin)')
    parser.add_argument('--n-result', '-n', type=int, default=5,
                        help='number of neighbours to show')
    args = parser.parse_args(argv)
    words, W = load_model(args.model)
    if args.query is not None:
        ok = [show(words, W, q, args.n_result) for q in args.query.split()]
        return 0 if all(ok) else 1
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print('>> ', end='', flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        for q in line.split():
            show(words, W, q, args.n_result)
    return 0


if __name__ == '__main__':
    sys.exit(main())

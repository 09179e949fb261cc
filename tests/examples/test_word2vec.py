"""The word2vec example: skip-gram and CBoW with negative sampling, then nearest-word search.

The corpus is a small PTB-format text (``$DCHAIN_DATASET_ROOT/ptb/raw/ptb.*.txt``) in which
animals and vehicles appear in two different kinds of sentences, so that embeddings trained
on it put each animal nearest to the other animals.
"""
import json
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN = os.path.join(ROOT, 'examples', 'word2vec', 'train_word2vec.py')
SEARCH = os.path.join(ROOT, 'examples', 'word2vec', 'search.py')
ANIMALS = ['cat', 'dog', 'cow', 'horse']
VEHICLES = ['car', 'bus', 'truck', 'van']


@pytest.fixture(scope='module')
def dataset_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('data')
    raw = root / 'ptb' / 'raw'
    raw.mkdir(parents=True)
    rng = numpy.random.RandomState(0)
    for name, n_lines in (('train', 300), ('valid', 40), ('test', 40)):
        with open(raw / 'ptb.{}.txt'.format(name), 'w') as f:
            for _ in range(n_lines):
                if rng.rand() < 0.5:
                    line = 'the {} eats grass and sleeps in the barn'.format(rng.choice(ANIMALS))
                else:
                    line = 'a {} drives on the road with fuel'.format(rng.choice(VEHICLES))
                f.write(' {} \n'.format(line))
    return root


def _run(script, root, *args, stdin=None):
    env = dict(os.environ, PYTHONPATH=ROOT, DCHAIN_DATASET_ROOT=str(root),
               OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1')
    return subprocess.run([sys.executable, '-W', 'ignore', script] + list(args), env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


def _train(root, out, *args):
    out = _run(TRAIN, root, '--window', '3', '--batchsize', '50', '--unit', '16',
               '--device', '-1', '--out', str(out), '--no-progress', *args)
    assert out.returncode == 0, out.stderr
    return out


def _read_model(path):
    lines = open(path, encoding='utf-8').read().splitlines()
    n_vocab, n_units = map(int, lines[0].split())
    rows = [line.split(' ') for line in lines[1:]]
    assert len(rows) == n_vocab and all(len(r) == n_units + 1 for r in rows)
    return {r[0]: numpy.array(r[1:], dtype=numpy.float64) for r in rows}


def test_help(dataset_root):
    for script, flags in ((TRAIN, ('--model', '--out-type', '--device', '--out')),
                          (SEARCH, ('--model', '--query'))):
        out = _run(script, dataset_root, '--help')
        assert out.returncode == 0, out.stderr
        for flag in flags:
            assert flag in out.stdout


@pytest.mark.parametrize('model', ['skipgram', 'cbow'])
def test_negative_sampling_learns_neighbours(model, dataset_root, tmp_path):
    _train(dataset_root, tmp_path, '--model', model, '--epoch', '30')
    log = json.load(open(tmp_path / 'log'))
    assert [e['epoch'] for e in log] == list(range(1, 31))
    assert log[-1]['main/loss'] < log[0]['main/loss']
    assert numpy.isfinite(log[-1]['validation/main/loss'])
    vectors = _read_model(tmp_path / 'word2vec.model')
    assert set(ANIMALS + VEHICLES + ['<eos>']) <= set(vectors)

    out = _run(SEARCH, dataset_root, '--model', str(tmp_path / 'word2vec.model'), '--query',
               'cat car', '--n-result', '3')
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == 'query: cat' and lines[4] == 'query: car'
    cat_nn = [line.split(':')[0] for line in lines[1:4]]
    car_nn = [line.split(':')[0] for line in lines[5:8]]
    assert set(cat_nn) == set(ANIMALS) - {'cat'}
    assert set(car_nn) == set(VEHICLES) - {'car'}
    # The printed scores are the cosine similarities of the saved vectors.
    a, b = vectors['cat'], vectors[cat_nn[0]]
    score = float(lines[1].split(':')[1])
    assert score == pytest.approx(a @ b / numpy.linalg.norm(a) / numpy.linalg.norm(b),
                                  abs=1e-4)


def test_full_softmax_and_interactive_search(dataset_root, tmp_path):
    _train(dataset_root, tmp_path, '--model', 'skipgram', '--out-type', 'original',
           '--epoch', '2')
    log = json.load(open(tmp_path / 'log'))
    assert len(log) == 2 and all(numpy.isfinite(e['main/loss']) for e in log)
    out = _run(SEARCH, dataset_root, '--model', str(tmp_path / 'word2vec.model'),
               stdin='dog\nzebra\n')
    assert out.returncode == 0, out.stderr
    assert 'query: dog' in out.stdout
    assert '"zebra" is not in the vocabulary' in out.stdout
    missing = _run(SEARCH, dataset_root, '--model', str(tmp_path / 'word2vec.model'),
                   '--query', 'zebra')
    assert missing.returncode == 1

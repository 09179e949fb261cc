"""The PTB example: truncated-BPTT training, perplexity and sampling on a tiny PTB-format corpus.

The corpus is written where ``dchain.datasets.get_ptb_words`` looks for it:
``$DCHAIN_DATASET_ROOT/ptb/raw/ptb.{train,valid,test}.txt``, one space-separated sentence per
line (Mikolov's format, ``<unk>`` and ``N`` included).
"""
import json
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN = os.path.join(ROOT, 'examples', 'ptb', 'train_ptb.py')
GENTXT = os.path.join(ROOT, 'examples', 'ptb', 'gentxt.py')
WORDS = 'the cat dog sat on mat a big small red house car ran fast slowly and <unk> N'.split()


@pytest.fixture
def dataset_root(tmp_path):
    rng = numpy.random.RandomState(0)
    raw = tmp_path / 'data' / 'ptb' / 'raw'
    raw.mkdir(parents=True)
    for name, n_lines in (('train', 200), ('valid', 20), ('test', 20)):
        with open(raw / 'ptb.{}.txt'.format(name), 'w') as f:
            for _ in range(n_lines):
                words = rng.choice(WORDS, rng.randint(4, 12))
                f.write(' ' + ' '.join(words) + ' \n')
    return tmp_path / 'data'


def _run(script, root, *args):
    env = dict(os.environ, PYTHONPATH=ROOT, DCHAIN_DATASET_ROOT=str(root),
               OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1')
    return subprocess.run([sys.executable, '-W', 'ignore', script] + list(args), env=env,
                          capture_output=True, text=True, timeout=120)


def test_help(dataset_root):
    for script in (TRAIN, GENTXT):
        out = _run(script, dataset_root, '--help')
        assert out.returncode == 0, out.stderr
        assert '--device' in out.stdout


def test_train_then_generate(dataset_root, tmp_path):
    out_dir = tmp_path / 'result'
    # 1000 words, 10 streams x 10 words per update: 10 updates per epoch.
    out = _run(TRAIN, dataset_root, '--test', '--epoch', '2', '--unit', '16', '--batchsize',
               '10', '--bproplen', '10', '--log-interval', '5', '--device', '-1', '--out',
               str(out_dir), '--no-progress')
    assert out.returncode == 0, out.stderr
    assert '#vocab = {}'.format(len(WORDS) + 1) in out.stdout  # + <eos>
    log = json.load(open(out_dir / 'log'))
    assert [e['iteration'] for e in log] == [5, 10, 15, 20]
    # The validation ran at each epoch end (iterations 10 and 20).
    val = [e for e in log if 'val_perplexity' in e]
    assert [e['iteration'] for e in val] == [10, 20]
    for e in log:
        assert 1. < e['perplexity'] < 1000. and numpy.isfinite(e['perplexity'])
        assert e['perplexity'] == pytest.approx(numpy.exp(e['main/loss']), rel=1e-5)
    # Training stopped exactly at the end of epoch 2 (the epoch trigger saw the boundary
    # although an update reads ten batches).
    assert sorted(p.name for p in out_dir.iterdir() if p.name.startswith('snapshot')) == [
        'snapshot_epoch_1', 'snapshot_epoch_2']
    test_ppl = float(out.stdout.strip().splitlines()[-1].split(':')[1])
    meta = json.load(open(out_dir / 'model.json'))
    assert meta['test_perplexity'] == pytest.approx(test_ppl)
    assert 1. < test_ppl < 1000.

    gen = _run(GENTXT, dataset_root, '--model', str(out_dir / 'model.npz'), '--primetext',
               'the cat', '--length', '15', '--seed', '3')
    assert gen.returncode == 0, gen.stderr
    words = gen.stdout.split()
    assert words[:2] == ['the', 'cat']
    # <eos> becomes a line break, so up to 15 sampled words follow the prime.
    assert 2 < len(words) <= 17
    assert set(words) <= set(WORDS)
    again = _run(GENTXT, dataset_root, '--model', str(out_dir / 'model.npz'), '--primetext',
                 'the cat', '--length', '15', '--seed', '3')
    assert again.stdout == gen.stdout

    bad = _run(GENTXT, dataset_root, '--model', str(out_dir / 'model.npz'), '--primetext',
               'zebra')
    assert bad.returncode != 0 and 'zebra' in bad.stderr


def test_parallel_sequential_iterator():
    sys.path.insert(0, os.path.dirname(TRAIN))
    try:
        import importlib
        rnnlm = importlib.import_module('rnnlm')
    finally:
        sys.path.remove(os.path.dirname(TRAIN))
    data = numpy.arange(10, dtype=numpy.int32)
    it = rnnlm.ParallelSequentialIterator(data, 2)
    assert it.next() == [(0, 1), (5, 6)]
    assert it.next() == [(1, 2), (6, 7)]
    for _ in range(3):
        batch = it.next()
    assert batch == [(4, 5), (9, 0)]  # wraps around
    assert it.epoch == 1 and it.is_new_epoch
    finite = rnnlm.ParallelSequentialIterator(data, 1, repeat=False)
    assert len(list(finite)) == 10

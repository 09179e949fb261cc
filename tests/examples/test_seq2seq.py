"""The seq2seq example: NStepLSTM encoder-decoder on a toy parallel corpus, BLEU, translation."""
import importlib.util
import json
import math
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, 'examples', 'seq2seq')
TRAIN = os.path.join(DIR, 'seq2seq.py')
TRANSLATE = os.path.join(DIR, 'translate.py')
MAKE_DATA = os.path.join(DIR, 'make_toy_data.py')


def _load(name):
    sys.path.insert(0, DIR)
    try:
        spec = importlib.util.spec_from_file_location(name + '_s2s_example',
                                                      os.path.join(DIR, name + '.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(DIR)
    return module


def _run(script, *args, stdin=None):
    env = dict(os.environ, PYTHONPATH=ROOT, OPENBLAS_NUM_THREADS='1', OMP_NUM_THREADS='1')
    return subprocess.run([sys.executable, script] + [str(a) for a in args], env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


# -- BLEU ------------------------------------------------------------------------------------
def test_bleu_perfect_and_empty():
    bleu = _load('bleu')
    refs = [[['a', 'b', 'c', 'd', 'e']], [['x', 'y', 'z', 'w']]]
    hyps = [['a', 'b', 'c', 'd', 'e'], ['x', 'y', 'z', 'w']]
    assert bleu.corpus_bleu(refs, hyps) == pytest.approx(1.)
    assert bleu.corpus_bleu(refs, [[], []]) == 0.
    assert bleu.corpus_bleu(refs, [['q'], ['r']]) == 0.
    with pytest.raises(ValueError):
        bleu.corpus_bleu(refs, hyps[:1])


def test_bleu_brevity_penalty():
    bleu = _load('bleu')
    # All n-gram precisions are 1; the hypothesis has 4 words against 6.
    score = bleu.corpus_bleu([[list('abcdef')]], [list('abcd')])
    assert score == pytest.approx(math.exp(1. - 6. / 4.))
    # The closest of several references sets the length: 4 -> no penalty.
    assert bleu.corpus_bleu([[list('abcdef'), list('abcd')]], [list('abcd')]) == \
        pytest.approx(1.)


def test_bleu_clipping_and_smoothing():
    bleu = _load('bleu')
    hyp = ['the'] * 4
    ref = ['the', 'cat', 'sat', 'on', 'the', 'mat'][:2]
    # Unigrams: 'the' clipped to 1 match of 4. No bigram, trigram or 4-gram matches:
    # smoothed to 0.1 / 3, 0.1 / 2, 0.1 / 1. The hypothesis is longer: no brevity penalty.
    expected = math.exp((math.log(1 / 4) + math.log(0.1 / 3) + math.log(0.1 / 2) +
                         math.log(0.1 / 1)) / 4)
    assert bleu.corpus_bleu([[ref]], [hyp]) == pytest.approx(expected)
    assert bleu.corpus_bleu([[ref]], [hyp], smoothing=False) == 0.


def test_bleu_pools_counts_over_the_corpus():
    bleu = _load('bleu')
    refs = [[list('abcde')], [list('vwxyz')]]
    hyps = [list('abcde'), list('vwxzy')]
    # Sentence 2 (v w x z y against v w x y z) matches 5/5 unigrams, 2/4 bigrams (vw wx),
    # 1/3 trigrams (vwx), 0/2 4-grams; sentence 1 matches everything.
    p = [10 / 10, 6 / 8, 4 / 6, 2 / 4]
    expected = math.exp(sum(math.log(v) for v in p) / 4)
    assert bleu.corpus_bleu(refs, hyps) == pytest.approx(expected)


# -- the model -------------------------------------------------------------------------------
def test_run_nstep_restores_the_batch_order():
    s2s = _load('seq2seq')
    import dchain.links as L
    numpy.random.seed(0)
    rnn = L.NStepLSTM(1, 3, 4, 0.)
    xs = [numpy.random.randn(n, 3).astype(numpy.float32) for n in (2, 5, 3)]
    hy, cy, ys = s2s.run_nstep(rnn, None, None, xs)
    for i, x in enumerate(xs):
        h1, c1, y1 = rnn(None, None, [x])
        numpy.testing.assert_allclose(ys[i].array, y1[0].array, rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(hy.array[:, i], h1.array[:, 0], rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(cy.array[:, i], c1.array[:, 0], rtol=1e-5, atol=1e-6)


def test_help():
    for script in (TRAIN, TRANSLATE, MAKE_DATA):
        out = _run(script, '--help')
        assert out.returncode == 0, out.stderr
    assert '--device' in _run(TRAIN, '--help').stdout


def test_train_bleu_and_translate(tmp_path):
    data = tmp_path / 'toy'
    out = _run(MAKE_DATA, data, '--task', 'reverse', '--n-train', '120', '--n-valid', '12',
               '--n-words', '6', '--min-len', '2', '--max-len', '5')
    assert out.returncode == 0, out.stderr
    src = (data / 'train.src').read_text().splitlines()
    tgt = (data / 'train.tgt').read_text().splitlines()
    assert len(src) == len(tgt) == 120
    assert tgt[0].split() == [w.upper() for w in src[0].split()[::-1]]

    result = tmp_path / 'result'
    # 120 pairs in batches of 30: 4 iterations per epoch, 8 in all; BLEU every 4.
    out = _run(TRAIN, data / 'train.src', data / 'train.tgt', data / 'vocab.src',
               data / 'vocab.tgt', '--validation-source', data / 'valid.src',
               '--validation-target', data / 'valid.tgt', '--epoch', '2', '--batchsize', '30',
               '--unit', '16', '--layer', '1', '--log-interval', '4',
               '--validation-interval', '4', '--max-length', '10', '--device', '-1',
               '--out', result)
    assert out.returncode == 0, out.stderr
    assert '# source : ' in out.stdout and '# expect : ' in out.stdout
    log = json.load(open(result / 'log'))
    assert [e['iteration'] for e in log] == [4, 8]
    for e in log:
        assert 0. <= e['validation/main/bleu'] <= 1.
        assert numpy.isfinite(e['main/loss']) and e['main/perp'] > 1.
    bleu = float(out.stdout.strip().splitlines()[-1].split(':')[1])
    assert 0. <= bleu <= 1.
    translations = (result / 'translations.txt').read_text().splitlines()
    assert len(translations) == 12
    target_vocab = set((data / 'vocab.tgt').read_text().split()) | {'<UNK>'}
    for line in translations:
        words = line.split()
        assert len(words) <= 10 and set(words) <= target_vocab

    # The saved model translates the validation sources exactly as at the end of training.
    out = _run(TRANSLATE, '--model', result / 'model.npz', '--input', data / 'valid.src')
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == translations
    out = _run(TRANSLATE, '--model', result / 'model.npz', stdin='w1 w2\n')
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 1

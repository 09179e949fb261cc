#!/usr/bin/env python
"""Train an LSTM language model on Penn Treebank with truncated BPTT; report perplexity.

    python examples/ptb/train_ptb.py --test          # tiny slices of PTB, a quick check
    python examples/ptb/train_ptb.py --epoch 5 --unit 200

The data come from ``dchain.datasets.get_ptb_words()`` (the three ``ptb.*.txt`` files in
``$DCHAIN_DATASET_ROOT/ptb/raw/``, downloaded when missing). Training reports the training
and validation perplexity; at the end the test perplexity is printed, and the model is saved
to ``<out>/model.npz`` (with ``<out>/model.json`` describing it) for ``gentxt.py``.
"""
import argparse
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dchain as chainer  # noqa: E402
import dchain.links as L  # noqa: E402
from dchain import training  # noqa: E402
from dchain.training import extensions  # noqa: E402

from rnnlm import BPTTUpdater, ParallelSequentialIterator, RNNForLM  # noqa: E402


def parse_device(spec):
    """Device specifier from the command line: '-1', '0', '@numpy', '@cupy:0'."""
    try:
        return chainer.get_device(int(spec))
    except ValueError:
        return chainer.get_device(spec)


def compute_perplexity(result):
    result['perplexity'] = numpy.exp(result['main/loss'])
    if 'validation/main/loss' in result:
        result['val_perplexity'] = numpy.exp(result['validation/main/loss'])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--batchsize', '-b', type=int, default=20,
                        help='number of parallel word sequences in each minibatch')
    parser.add_argument('--bproplen', '-l', type=int, default=35,
                        help='number of words in each minibatch (= length of truncated BPTT)')
    parser.add_argument('--epoch', '-e', type=int, default=1,
                        help='number of sweeps over the training text')
    parser.add_argument('--gradclip', '-c', type=float, default=5,
                        help='gradient norm threshold to clip')
    parser.add_argument('--unit', '-u', type=int, default=100,
                        help='number of LSTM units in each layer (the tutorial uses 650)')
    parser.add_argument('--lr', type=float, default=1.0, help='SGD learning rate')
    parser.add_argument('--test', action='store_true',
                        help='use tiny slices of the data for a quick check')
    parser.add_argument('--log-interval', type=int, default=None,
                        help='iterations between log lines (default 10 with --test, else 100)')
    parser.add_argument('--device', '-d', default='-1',
                        help='device specifier: -1 or @numpy for the CPU, 0 or @cupy:0 for a GPU')
    parser.add_argument('--out', '-o', default='result', help='directory of the outputs')
    parser.add_argument('--resume', '-r', default=None, help='resume from this snapshot')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    device = parse_device(args.device)
    train, val, test = chainer.datasets.get_ptb_words()
    n_vocab = max(int(train.max()), int(val.max()), int(test.max())) + 1
    if args.test:
        train, val, test = train[:1000], val[:100], test[:100]
    print('#vocab = {}  train/valid/test words: {}/{}/{}  device: {}'.format(
        n_vocab, len(train), len(val), len(test), device))

    train_iter = ParallelSequentialIterator(train, args.batchsize)
    val_iter = ParallelSequentialIterator(val, 1, repeat=False)
    test_iter = ParallelSequentialIterator(test, 1, repeat=False)

    rnn = RNNForLM(n_vocab, args.unit)
    model = L.Classifier(rnn)
    model.compute_accuracy = False  # only the perplexity matters
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.SGD(lr=args.lr)
    optimizer.setup(model)
    optimizer.add_hook(chainer.optimizer_hooks.GradientClipping(args.gradclip))

    updater = BPTTUpdater(train_iter, optimizer, args.bproplen, device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    # Shares the parameters, keeps its own LSTM state.
    eval_model = model.copy()
    eval_rnn = eval_model.predictor
    trainer.extend(extensions.Evaluator(val_iter, eval_model, device=device,
                                        eval_hook=lambda _: eval_rnn.reset_state()))
    interval = args.log_interval or (10 if args.test else 100)
    trainer.extend(extensions.LogReport(postprocess=compute_perplexity,
                                        trigger=(interval, 'iteration')))
    trainer.extend(extensions.PrintReport(['epoch', 'iteration', 'perplexity',
                                           'val_perplexity']),
                   trigger=(interval, 'iteration'))
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar(update_interval=1 if args.test else 10))
    trainer.extend(extensions.snapshot(filename='snapshot_epoch_{.updater.epoch}'),
                   trigger=(1, 'epoch'))
    if args.resume is not None:
        chainer.serializers.load_npz(args.resume, trainer)
    trainer.run()

    eval_rnn.reset_state()
    evaluator = extensions.Evaluator(test_iter, eval_model, device=device)
    result = evaluator()
    test_perplexity = float(numpy.exp(float(result['main/loss'])))
    print('test perplexity: {}'.format(test_perplexity))

    model.to_cpu()
    chainer.serializers.save_npz(os.path.join(args.out, 'model.npz'), model)
    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump({'n_vocab': n_vocab, 'unit': args.unit,
                   'test_perplexity': test_perplexity}, f)
    return test_perplexity


if __name__ == '__main__':
    main()

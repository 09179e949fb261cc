"""A tiny MNIST-like data-parallel job (8x8 digits, an MLP) for the launcher/control tests.

Usage: python train_tiny.py --out DIR [--iterations N] [--step-sleep S] [--batchsize B]
Prints ``RESUMED_FROM <iteration>`` and ``FINAL <rank> <iteration>`` lines for the tests.
"""
import argparse
import sys
import time

import dchain
import dchain.control
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L
from dchain import training
from dchain.datasets import get_digits
from dchain.training import extensions


class MLP(dchain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(64, 32)
            self.l2 = L.Linear(32, 10)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--iterations', type=int, default=200)
    parser.add_argument('--step-sleep', type=float, default=0.0)
    parser.add_argument('--batchsize', type=int, default=16)
    parser.add_argument('--fail-rank', type=int, default=-1, help='this rank raises ...')
    parser.add_argument('--fail-at', type=int, default=5, help='... at this iteration')
    args = parser.parse_args()

    comm = mn.create_communicator('naive')
    model = L.Classifier(MLP())
    optimizer = mn.create_multi_node_optimizer(dchain.optimizers.SGD(lr=0.05), comm)
    optimizer.setup(model)
    train, _ = get_digits() if comm.rank == 0 else (None, None)
    train = mn.scatter_dataset(train, comm, shuffle=True, seed=0)
    it = dchain.iterators.SerialIterator(train, args.batchsize)
    updater = training.StandardUpdater(it, optimizer)
    trainer = training.Trainer(updater, (args.iterations, 'iteration'), out=args.out)
    snap = extensions.snapshot(filename='snap_rank{}_iter_{{.updater.iteration}}'.format(
        comm.rank), autoload=True)
    trainer.extend(snap, trigger=(10 ** 9, 'iteration'))
    if args.step_sleep:
        trainer.extend(lambda t: time.sleep(args.step_sleep), name='slow_step')
    if comm.rank == args.fail_rank:
        def fail(t):
            if t.updater.iteration >= args.fail_at:
                raise RuntimeError('injected failure at iteration {}'.format(
                    t.updater.iteration))
        trainer.extend(fail, name='fail')
    dchain.control.maybe_extend(trainer)
    resumed = {}

    def note_start(t):
        resumed.setdefault('it', t.updater.iteration)
    trainer.extend(note_start, name='note_start', call_before_training=True,
                   trigger=(10 ** 9, 'iteration'))
    trainer.run()
    print('RESUMED_FROM {}'.format(resumed.get('it')), flush=True)
    print('FINAL {} {}'.format(comm.rank, trainer.updater.iteration), flush=True)
    sys.stdout.flush()


if __name__ == '__main__':
    main()

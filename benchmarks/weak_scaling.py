"""Weak scaling of data-parallel MLP training: throughput at N ranks vs N x one rank.

MLP 784-1000-1000-10, per-rank batch 100, MomentumSGD through the multi-node optimizer, one
BLAS thread per rank. The script launches itself under ``mpiexec`` for 1 and N ranks:

    python benchmarks/weak_scaling.py [--ranks 2] [--steps 200] [--repeat 9] [--no-overlap]
                                      [--no-shard-update] [--bucket-mb N]

and prints samples/s for each and the efficiency ``thr(N) / (N * thr(1))``. As a ceiling it
also runs N independent single-rank jobs at once (no communication at all): on a machine where
N busy processes cannot each run as fast as one alone (shared cores, memory bandwidth), that
ceiling is below 100% and no communicator can beat it. The three runs are repeated
``--repeat`` times, interleaved so that drifting machine load affects them alike, and the
medians are reported: single 2-rank runs on a shared 2-core machine scatter by several percent
(where the OS places each process, what else runs), so the defaults take many.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy


def worker(args):
    import dchain
    import dchain.distributed as mn
    import dchain.functions as F
    import dchain.links as L
    from dchain import optimizers

    kwargs = {'bucket_bytes': int(args.bucket_mb * 2 ** 20)} if args.bucket_mb else {}
    comm = mn.create_communicator(args.communicator, **kwargs)
    model = dchain.Sequential(L.Linear(784, 1000), F.relu, L.Linear(1000, 1000), F.relu,
                              L.Linear(1000, 10))
    optimizer = mn.create_multi_node_optimizer(
        optimizers.MomentumSGD(lr=0.01), comm, overlap=not args.no_overlap,
        shard_update=not args.no_shard_update)
    optimizer.setup(model)
    rng = numpy.random.RandomState(comm.rank)
    x = rng.rand(100, 784).astype(numpy.float32)
    t = rng.randint(0, 10, 100).astype(numpy.int32)

    def step():
        optimizer.update(lambda: F.softmax_cross_entropy(model(x), t))

    for _ in range(5):
        step()
    times = []
    for _ in range(args.steps):
        comm.barrier()
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    worst = comm.allgather_obj(statistics.median(times))
    if comm.rank == 0:
        print('RESULT {:.6f}'.format(max(worst)))


def launch_independent(n, args):
    """Throughput of n single-rank jobs run at the same time (the hardware's ceiling)."""
    procs = [_start(1, args) for _ in range(n)]
    return sum(_result(p, 1) for p in procs)


def _start(n, args):
    mpiexec = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    if not os.path.exists(mpiexec):
        mpiexec = shutil.which('mpiexec')
    env = dict(os.environ, OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1', MKL_NUM_THREADS='1')
    cmd = [mpiexec, '-n', str(n), sys.executable, os.path.abspath(__file__), '--worker',
           '--steps', str(args.steps), '--communicator', args.communicator]
    if args.no_overlap:
        cmd.append('--no-overlap')
    if args.no_shard_update:
        cmd.append('--no-shard-update')
    if args.bucket_mb:
        cmd += ['--bucket-mb', str(args.bucket_mb)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)


def _result(proc, n):
    out, _ = proc.communicate()
    if proc.returncode:
        raise RuntimeError('benchmark worker failed with exit code {}'.format(proc.returncode))
    step_time = float(out.split('RESULT')[1].split()[0])
    return 100 * n / step_time


def launch(n, args):
    return _result(_start(n, args), n)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ranks', type=int, default=2)
    parser.add_argument('--steps', type=int, default=200)
    parser.add_argument('--repeat', type=int, default=9,
                        help='interleaved repetitions of the three runs (medians reported)')
    parser.add_argument('--communicator', default='flat')
    parser.add_argument('--no-overlap', action='store_true')
    parser.add_argument('--no-shard-update', action='store_true',
                        help='every rank runs the whole optimizer update')
    parser.add_argument('--bucket-mb', type=float, default=None,
                        help='gradient bucket size in MB (default: the communicator\'s)')
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    runs = {'one': [], 'many': [], 'independent': []}
    for _ in range(args.repeat):
        runs['one'].append(launch(1, args))
        runs['many'].append(launch(args.ranks, args))
        runs['independent'].append(launch_independent(args.ranks, args))
    one, many, independent = (statistics.median(runs[k]) for k in ('one', 'many', 'independent'))
    print('weak scaling: MLP 784-1000-1000-10, per-rank batch 100, {} communicator, '
          'overlap {}, sharded update {}, median of {}'.format(
              args.communicator, 'off' if args.no_overlap else 'on',
              'off' if args.no_shard_update else 'on', args.repeat))
    print('  1 rank   {:9.1f} samples/s'.format(one))
    print('  {} ranks  {:9.1f} samples/s'.format(args.ranks, many))
    print('  {} independent 1-rank jobs at once {:9.1f} samples/s (ceiling {:.1%})'.format(
        args.ranks, independent, independent / (args.ranks * one)))
    print('  efficiency {:.1%}   (of the ceiling: {:.1%})'.format(
        many / (args.ranks * one), many / independent))
    return 0


if __name__ == '__main__':
    sys.exit(main())

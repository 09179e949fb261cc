"""Weak scaling of data-parallel MLP training: throughput at N ranks vs N x one rank.

MLP 784-1000-1000-10, per-rank batch 100, MomentumSGD through the multi-node optimizer, one
BLAS thread per rank. The script launches itself under ``mpiexec -n N``:

    python benchmarks/weak_scaling.py [--ranks 2] [--steps 50] [--repeat 15] [--no-overlap]
                                      [--no-shard-update] [--bucket-mb N]

and prints samples/s for one rank and for N, and the efficiency ``thr(N) / (N * thr(1))``.
Single runs on a shared machine drift by more than the effect measured (the speed of one
lone rank moved by 30 % between jobs here), so one rank and N ranks are measured in the same
job, in alternating phases of ``--steps`` steps, and each cycle gives one ratio:

1. alone: rank 0 trains a replica of its own with the plain optimizer while the other ranks
   sleep;
2. together: every rank trains, averaging gradients with the multi-node optimizer;
3. independent: every rank trains a replica of its own at once, with no communication: on a
   machine where N busy processes cannot each run as fast as one alone (shared cores, memory
   bandwidth) this ceiling is below 100 % and no communicator can beat it.

The medians over ``--repeat`` cycles (after one for warm-up) are reported.
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

    def mlp():
        return dchain.Sequential(L.Linear(784, 1000), F.relu, L.Linear(1000, 1000), F.relu,
                                 L.Linear(1000, 10))

    kwargs = {'bucket_bytes': int(args.bucket_mb * 2 ** 20)} if args.bucket_mb else {}
    comm = mn.create_communicator(args.communicator, **kwargs)
    model, solo_model = mlp(), mlp()
    together = mn.create_multi_node_optimizer(
        optimizers.MomentumSGD(lr=0.01), comm, overlap=not args.no_overlap,
        shard_update=not args.no_shard_update)
    together.setup(model)
    solo = optimizers.MomentumSGD(lr=0.01)
    solo.setup(solo_model)
    rng = numpy.random.RandomState(comm.rank)
    x = rng.rand(100, 784).astype(numpy.float32)
    t = rng.randint(0, 10, 100).astype(numpy.int32)

    def train(optimizer, net):
        for _ in range(args.steps):
            optimizer.update(lambda: F.softmax_cross_entropy(net(x), t))

    def phase(run):
        """Seconds per step of ``run`` on the ranks that run it (the others sleep)."""
        comm.barrier()
        t0 = time.perf_counter()
        if run:
            run()
        # A sleeping wait: idle ranks must not take a core from rank 0's lone replica.
        request = comm.mpi_comm.Ibarrier()
        while not request.Test():
            time.sleep(0.0002)
        return (time.perf_counter() - t0) / args.steps

    cycles = []
    for _ in range(args.repeat + 1):
        alone = phase((lambda: train(solo, solo_model)) if comm.rank == 0 else None)
        many = phase(lambda: train(together, model))
        independent = phase(lambda: train(solo, solo_model))
        cycles.append((alone, many, independent))
    if comm.rank == 0:
        for alone, many, independent in cycles[1:]:
            print('CYCLE {:.6f} {:.6f} {:.6f}'.format(alone, many, independent))


def _mpiexec():
    mpiexec = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    return mpiexec if os.path.exists(mpiexec) else shutil.which('mpiexec')


def run_cycles(args):
    """``[(s/step alone, s/step together, s/step independent)]`` from one mpiexec job."""
    env = dict(os.environ, OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1', MKL_NUM_THREADS='1')
    cmd = [_mpiexec(), '-n', str(args.ranks), sys.executable, os.path.abspath(__file__),
           '--worker', '--steps', str(args.steps), '--repeat', str(args.repeat),
           '--communicator', args.communicator]
    if args.no_overlap:
        cmd.append('--no-overlap')
    if args.no_shard_update:
        cmd.append('--no-shard-update')
    if args.bucket_mb:
        cmd += ['--bucket-mb', str(args.bucket_mb)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env=env)
    if proc.returncode:
        raise RuntimeError('benchmark worker failed with exit code {}'.format(proc.returncode))
    return [tuple(float(v) for v in line.split()[1:])
            for line in proc.stdout.splitlines() if line.startswith('CYCLE ')]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ranks', type=int, default=2)
    parser.add_argument('--steps', type=int, default=50, help='training steps per phase')
    parser.add_argument('--repeat', type=int, default=15,
                        help='cycles of the three phases (medians reported)')
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
    n = args.ranks
    cycles = run_cycles(args)
    one = statistics.median(100 / alone for alone, _, _ in cycles)
    many = statistics.median(100 * n / together for _, together, _ in cycles)
    independent = statistics.median(100 * n / ind for _, _, ind in cycles)
    efficiency = [alone / together for alone, together, _ in cycles]
    ceiling = [alone / ind for alone, _, ind in cycles]
    of_ceiling = [ind / together for _, together, ind in cycles]
    print('weak scaling: MLP 784-1000-1000-10, per-rank batch 100, {} communicator, '
          'overlap {}, sharded update {}, median of {} cycles'.format(
              args.communicator, 'off' if args.no_overlap else 'on',
              'off' if args.no_shard_update else 'on', len(cycles)))
    print('  1 rank   {:9.1f} samples/s'.format(one))
    print('  {} ranks  {:9.1f} samples/s'.format(n, many))
    print('  {} independent 1-rank jobs at once {:9.1f} samples/s (ceiling {:.1%})'.format(
        n, independent, statistics.median(ceiling)))
    print('  efficiency {:.1%}   (of the ceiling: {:.1%}; cycles ranged {:.1%}-{:.1%})'.format(
        statistics.median(efficiency), statistics.median(of_ceiling), min(efficiency),
        max(efficiency)))
    return 0


if __name__ == '__main__':
    sys.exit(main())

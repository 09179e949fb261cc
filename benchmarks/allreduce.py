"""Gradient allreduce of the MLP 784-1000-1000-10 (7.2 MB) against one raw MPI Allreduce.

Run under MPI, one BLAS thread per rank:

    OMP_NUM_THREADS=1 mpiexec -n 2 python benchmarks/allreduce.py [--repeat 50]

Rank 0 prints the median time of ``multi_node_mean_grad`` for the flat (bucketed) and naive
communicators, the floor (one mpi4py ``Allreduce`` of a float32 buffer of the same size, in
place), and the ratios. Before each timed call, untimed, the input is written afresh: the
floor's buffer, and dchain's gradients, so that every case starts from the same cache state.
The flat communicator is timed twice: on gradients in arrays of their own, which it packs into
its buckets first, and on gradients as a backward pass of the model leaves them (where the
buckets are in node-shared memory, backward computes them in their bucket slots: training's
case).
"""
import argparse
import statistics
import sys
import time

import numpy

import dchain
import dchain.distributed as mn
import dchain.functions as F
import dchain.links as L


def make_model():
    model = dchain.Sequential(L.Linear(784, 1000), L.Linear(1000, 1000), L.Linear(1000, 10))
    for p in model.params():
        p.grad = numpy.random.RandomState(0).randn(*p.shape).astype(numpy.float32)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=50)
    args = parser.parse_args(argv)
    from mpi4py import MPI

    comms = {name: mn.create_communicator(name) for name in ('flat', 'naive')}
    comm = comms['flat']
    model = make_model()
    grads = {n: p.grad.copy() for n, p in model.namedparams()}
    n_params = sum(p.size for p in model.params())
    buf = numpy.random.RandomState(1).randn(n_params).astype(numpy.float32)

    def reducer(c):
        def reduce_once():
            for n, p in model.namedparams():
                p.grad = grads[n]  # fresh (unreduced) gradients each time, no copy
            c.multi_node_mean_grad(model)
        return reduce_once

    source = buf.copy()
    source_grads = {n: g.copy() for n, g in grads.items()}

    def prepare_raw():
        numpy.copyto(buf, source)

    def prepare_grads():
        for n, g in grads.items():
            numpy.copyto(g, source_grads[n])

    x = numpy.random.RandomState(2 + comm.rank).randn(100, 784).astype(numpy.float32)

    def prepare_backward():
        model.cleargrads()
        F.sum(model(x)).backward()

    def raw():
        MPI.COMM_WORLD.Allreduce(MPI.IN_PLACE, buf)

    cases = {'floor': raw, 'flat': reducer(comms['flat']), 'naive': reducer(comms['naive']),
             'flat, from backward': lambda: comm.multi_node_mean_grad(model)}
    prepare = {'floor': prepare_raw, 'flat': prepare_grads, 'naive': prepare_grads,
               'flat, from backward': prepare_backward}
    for name, fn in cases.items():
        prepare[name]()
        fn()  # warm-up: buckets are built and the model checked once
    times = {name: [] for name in cases}
    # Interleave the cases so that drift in machine load affects them alike.
    for _ in range(args.repeat):
        for name, fn in cases.items():
            prepare[name]()
            comm.barrier()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(t) for name, t in times.items()}
    if comm.rank == 0:
        print('gradient allreduce: MLP 784-1000-1000-10, {:.1f} MB float32, {} ranks'.format(
            n_params * 4 / 1e6, comm.size))
        print('  raw MPI Allreduce (floor)  {:8.2f} ms'.format(med['floor'] * 1e3))
        for name, label in (('flat, from backward', 'flat, from backward'),
                            ('flat', 'flat, packed'), ('naive', 'naive')):
            print('  dchain {:<20}{:8.2f} ms   ratio {:.2f}x'.format(
                label, med[name] * 1e3, med[name] / med['floor']))
    return 0


if __name__ == '__main__':
    sys.exit(main())

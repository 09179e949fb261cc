"""Every communicator collective against values each rank can compute itself."""
import sys

import numpy

import dchain.distributed as mn


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else 'flat'
    comm = mn.create_communicator(name)
    r, n = comm.rank, comm.size
    check(0 <= comm.intra_rank < comm.intra_size and comm.inter_size >= 1, 'topology')

    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3) + r
    total = comm.allreduce(x)
    check(numpy.array_equal(total, n * numpy.arange(6).reshape(2, 3) + sum(range(n))),
          'allreduce')
    half = comm.allreduce(x.astype(numpy.float16))
    check(half.dtype == numpy.float16 and numpy.allclose(half, total), 'allreduce float16')

    b = comm.bcast(x if r == 0 else None, root=0)
    check(numpy.array_equal(b, numpy.arange(6).reshape(2, 3)), 'bcast')

    parts = comm.allgather(numpy.full(r + 1, r, numpy.int64))   # ragged shapes
    check([p.tolist() for p in parts] == [[k] * (k + 1) for k in range(n)], 'allgather')

    g = comm.gather(numpy.full(2, r, numpy.float64), root=0)
    check((g is None) if r else numpy.array_equal(g, numpy.repeat(numpy.arange(n), 2)
                                                    .reshape(n, 2)), 'gather')

    received = comm.alltoall([numpy.array([r * 10 + j]) for j in range(n)])
    check([int(a[0]) for a in received] == [j * 10 + r for j in range(n)], 'alltoall')

    piece = comm.scatter([numpy.array([k, k]) for k in range(n)] if r == 0 else None)
    check(piece.tolist() == [r, r], 'scatter')

    if n >= 2:
        if r == 0:
            comm.send((numpy.ones((2, 2)), numpy.zeros(3, numpy.int32)), dest=1, tag=3)
            comm.send_obj({'hello': [1, 2]}, dest=1)
        elif r == 1:
            a, c = comm.recv(source=0, tag=3)
            check(a.shape == (2, 2) and c.dtype == numpy.int32, 'send/recv tuple')
            check(comm.recv_obj(source=0) == {'hello': [1, 2]}, 'send_obj/recv_obj')

    check(comm.bcast_obj({'r': r}) == {'r': 0}, 'bcast_obj')
    check(comm.allgather_obj(r) == list(range(n)), 'allgather_obj')
    check(comm.allreduce_obj(r) == sum(range(n)), 'allreduce_obj')
    gathered = comm.gather_obj(r * 2)
    check(gathered == [2 * k for k in range(n)] if r == 0 else gathered is None, 'gather_obj')
    comm.barrier()

    sub = comm.split(r % 2, r)
    check(sub.size == len([k for k in range(n) if k % 2 == r % 2]), 'split size')
    check(sub.allreduce_obj(1) == sub.size, 'split allreduce')
    print('COLLECTIVES OK rank', r)
    return 0


if __name__ == '__main__':
    sys.exit(main())

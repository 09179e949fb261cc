"""Every communicator collective against values each rank can compute itself."""
import sys

import numpy

import dchain.distributed as mn


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def check_mean_grad(comm):
    """Gradient means over buckets of mixed dtypes, including parameters smaller than a rank's
    slice, in node-shared memory and (flat only) through MPI."""
    import dchain
    r, n = comm.rank, comm.size
    shapes = {'a': ((3,), numpy.float32), 'b': ((40, 7), numpy.float32),
              'c': ((5,), numpy.float64), 'd': ((1,), numpy.float32)}
    model = dchain.Link()
    with model.init_scope():
        for name, (shape, dtype) in shapes.items():
            setattr(model, name, dchain.Parameter(numpy.zeros(shape, dtype)))

    def grad(name, rank):
        shape, dtype = shapes[name]
        return (numpy.arange(numpy.prod(shape)).reshape(shape) * (rank + 1) + 0.5).astype(dtype)

    modes = [True, False] if hasattr(comm, 'shared_memory') else [None]
    for shared_memory in modes:
        if shared_memory is not None:
            comm.set_config('shared_memory', shared_memory)
        for _ in range(2):   # the second round reuses the buckets
            for name in shapes:
                getattr(model, name).grad = grad(name, r)
            comm.multi_node_mean_grad(model)
            for name in shapes:
                expected = sum(grad(name, k).astype(numpy.float64) for k in range(n)) / n
                got = getattr(model, name).grad
                check(got.dtype == shapes[name][1] and numpy.allclose(got, expected),
                      'multi_node_mean_grad of {} (shared_memory={})'.format(
                          name, shared_memory))
        if shared_memory is not None:
            check((comm._buckets.shared is not None) == (shared_memory and comm.size > 1),
                  'buckets in shared memory only when asked')


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

    check_mean_grad(comm)

    sub = comm.split(r % 2, r)
    check(sub.size == len([k for k in range(n) if k % 2 == r % 2]), 'split size')
    check(sub.allreduce_obj(1) == sub.size, 'split allreduce')
    print('COLLECTIVES OK rank', r)
    return 0


if __name__ == '__main__':
    sys.exit(main())

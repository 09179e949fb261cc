"""Communicator collectives on awkward inputs, against numpy on every rank's known inputs.

Usage: api_edges.py NAME TIMEOUT (flat or naive, its timeout; any number of ranks, 1
included; the checks also run in one process on a SingleProcessCommunicator). Each check is
collective and symmetric, so a failing one is noted and the others still run; the worker
prints every failure, then ``API EDGES OK rank N`` only if there was none.
"""
import sys
import traceback

import numpy

import dchain
import dchain.distributed as mn
from dchain.distributed.communicators._model import ModelMismatchError

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def same(got, expected):
    """Bitwise equal arrays of the same shape and dtype."""
    got = numpy.asarray(got)
    return got.shape == expected.shape and got.dtype == expected.dtype and \
        numpy.array_equal(got, expected, equal_nan=expected.dtype.kind in 'fc')


def close(got, expected):
    got = numpy.asarray(got)
    return got.shape == expected.shape and got.dtype == expected.dtype and \
        numpy.allclose(got.astype(numpy.float64), expected.astype(numpy.float64))


def case(comm, what, f):
    """Run check ``f``; an exception is a failure (and, on a collective, happens everywhere)."""
    try:
        f()
    except Exception:
        failures.append('{}: {}'.format(what, traceback.format_exc(limit=4)))


def arrays(k):
    """Rank ``k``'s inputs: name -> array (awkward layouts and dtypes, small values)."""
    base = numpy.arange(40, dtype=numpy.float64).reshape(4, 10) + k
    out = {
        '0-d': numpy.array(k + 0.5, numpy.float32),
        'empty (0, 3)': numpy.zeros((0, 3), numpy.float64),
        'empty (4, 0) int32': numpy.zeros((4, 0), numpy.int32),
        'transposed': (base * (k + 1)).T,
        'stepped': base.astype(numpy.float32)[::2, 1::3],
        'reversed': base[0, ::-1].astype(numpy.int64),
        'fortran': numpy.asfortranarray(base[:3, :5]).astype(numpy.int32, order='F'),
    }
    for dtype in ('float16', 'float32', 'float64', 'int32', 'int64'):
        out[dtype] = (numpy.arange(6).reshape(2, 3) % 4 + k).astype(dtype)
    return out


def moving_only(k):
    """Inputs that move (bcast, gather, send...) but do not sum."""
    return {'bool': numpy.array([[k % 2 == 0, True], [False, k > 0]]),
            'uint8 0-d': numpy.array(200 + k, numpy.uint8),
            'complex128 stepped': (numpy.arange(8) * (1 + 1j) + k)[::3]}


def check_arrays(comm):
    r, n = comm.rank, comm.size
    mine = arrays(r)
    everyone = [arrays(k) for k in range(n)]
    for name, x in mine.items():
        before = x.copy()

        def allreduce():
            expected = everyone[0][name].copy()
            for e in everyone[1:]:
                expected = expected + e[name]
            got = comm.allreduce(x)
            check(close(got, expected.astype(x.dtype)),
                  'allreduce of {}: {!r} != {!r}'.format(name, got, expected))
            check(same(x, before), 'allreduce changed its input ({})'.format(name))
        case(comm, 'allreduce ' + name, allreduce)
    moving = dict(mine, **moving_only(r))
    everyone_moving = [dict(arrays(k), **moving_only(k)) for k in range(n)]
    for name, x in moving.items():
        root = n - 1

        def bcast():
            got = comm.bcast(x if r == root else None, root=root)
            check(same(got, everyone_moving[root][name]), 'bcast of {}: {!r}'.format(name, got))
        case(comm, 'bcast ' + name, bcast)

        def allgather():
            got = comm.allgather(x)
            check(len(got) == n and all(same(g, e[name]) for g, e in zip(got, everyone_moving)),
                  'allgather of {}: {!r}'.format(name, got))
        case(comm, 'allgather ' + name, allgather)

        def gather():
            got = comm.gather(x, root=root)
            if r != root:
                check(got is None, 'gather off the root')
                return
            check(same(got, numpy.stack([e[name] for e in everyone_moving])),
                  'gather of {}: {!r}'.format(name, got))
        case(comm, 'gather ' + name, gather)


def check_alltoall(comm):
    r, n = comm.rank, comm.size
    dtypes = [numpy.float32, numpy.int64, numpy.bool_, numpy.float16, numpy.float64]

    def piece(src, dst):
        """What ``src`` sends ``dst``: uneven shapes (empty, 0-d, non-contiguous)."""
        dtype = dtypes[(src + dst) % len(dtypes)]
        if src == dst:
            return numpy.array(src * 10 + dst, dtype)
        full = numpy.arange(2 * (src + 1) * (dst + 2)).reshape(2 * (src + 1), dst + 2)
        return (full + src * 10 + dst).astype(dtype)[::2][:, :dst]

    def alltoall():
        got = comm.alltoall([piece(r, j) for j in range(n)])
        check(len(got) == n and all(same(g, piece(j, r)) for j, g in enumerate(got)),
              'alltoall: {!r}'.format(got))
    case(comm, 'alltoall', alltoall)

    def scatter():
        root = n - 1
        got = comm.scatter([piece(root, j) for j in range(n)] if r == root else None,
                           root=root)
        check(same(got, piece(root, r)), 'scatter: {!r}'.format(got))
    case(comm, 'scatter', scatter)


def check_send_recv(comm):
    """Several arrays and tags: rank 0 sends rank 1 three messages, which rank 1 receives in
    the reverse order of their tags; on three ranks rank 2 sends rank 1 one with tag 0 too."""
    r, n = comm.rank, comm.size
    if n < 2:
        return
    zero = arrays(0)
    first = (zero['0-d'], zero['empty (0, 3)'], zero['transposed'], moving_only(0)['bool'])
    second = [zero['stepped'], zero['float16']]   # a list comes back as a tuple
    third = zero['reversed']
    large = numpy.arange(3 * 2 ** 20, dtype=numpy.float32).reshape(1024, -1)[:, ::3]

    def send_recv():
        if r == 0:
            comm.send(first, dest=1, tag=1)
            comm.send(second, dest=1, tag=2)
            comm.send(third, dest=1)
            comm.send(large, dest=1, tag=4)   # a large one, in order
        elif r == 2:
            comm.send(numpy.full(3, 2.0), dest=1)
        elif r == 1:
            if n > 2:
                check(same(comm.recv(source=2), numpy.full(3, 2.0)), 'recv from rank 2')
            got = comm.recv(source=0)
            check(same(got, third), 'recv tag 0: {!r}'.format(got))
            got = comm.recv(source=0, tag=2)
            check(isinstance(got, tuple) and len(got) == 2 and
                  all(same(g, e) for g, e in zip(got, second)), 'recv tag 2: {!r}'.format(got))
            got = comm.recv(source=0, tag=1)
            check(isinstance(got, tuple) and len(got) == 4 and
                  all(same(g, e) for g, e in zip(got, first)), 'recv tag 1: {!r}'.format(got))
            check(same(comm.recv(source=0, tag=4), numpy.ascontiguousarray(large)),
                  'recv of a large non-contiguous array')
        comm.barrier()
    case(comm, 'send/recv', send_recv)


def check_objects(comm):
    r, n = comm.rank, comm.size
    big = bytes(range(256)) * (64 * 1024)           # 16 MiB

    def big_of(k):
        return {'rank': k, 'payload': numpy.full(300000, k, numpy.int64), 'text': 'x' * k}

    def objects():
        got = comm.bcast_obj({'big': big, 'r': r} if r == n - 1 else None, root=n - 1)
        check(got['big'] == big and got['r'] == n - 1, 'bcast_obj of 16 MiB')
        gathered = comm.allgather_obj(big_of(r))
        check(len(gathered) == n and all(
            g['rank'] == k and same(g['payload'], big_of(k)['payload']) and
            g['text'] == 'x' * k for k, g in enumerate(gathered)), 'allgather_obj of 2.4 MB')
        got = comm.gather_obj(big_of(r), root=n - 1)
        check((got is None) if r != n - 1 else
              [g['rank'] for g in got] == list(range(n)), 'gather_obj to the last rank')
        total = comm.allreduce_obj(numpy.full(100000, r + 1.0))
        check(same(total, numpy.full(100000, n * (n + 1) / 2)), 'allreduce_obj of arrays')
        check(comm.allreduce_obj([r]) == list(range(n)), 'allreduce_obj of lists')
        check(comm.bcast_obj(None) is None and comm.allgather_obj(()) == [()] * n,
              'empty objects')
        if n > 1:
            if r == 0:
                comm.send_obj(big, dest=1, tag=7)
                comm.send_obj('small', dest=1, tag=8)
            elif r == 1:
                check(comm.recv_obj(source=0, tag=7) == big, 'send_obj of 16 MiB')
                check(comm.recv_obj(source=0, tag=8) == 'small', 'recv_obj by tag')
        comm.barrier()
    case(comm, 'objects', objects)


def model_of(k):
    """A model with parameters of several dtypes and shapes (0-d too) and persistent arrays;
    every value depends on ``k``."""
    model = dchain.Link()
    with model.init_scope():
        model.h = dchain.Parameter(numpy.full((3, 2), k + 0.25, numpy.float16))
        model.s = dchain.Parameter(numpy.full((5,), k + 0.5, numpy.float32))
        model.d = dchain.Parameter(numpy.full((2, 2), k + 0.125, numpy.float64))
        model.t = dchain.Parameter(numpy.array(k + 0.75, numpy.float32))   # 0-d
    model.add_persistent('count', numpy.arange(4, dtype=numpy.int64) + k)
    model.add_persistent('mask', numpy.array([k % 2 == 0, True]))
    model.add_persistent('scale', numpy.array(k + 2.0))                     # 0-d
    model.add_persistent('label', 'rank{}'.format(k))                       # not an array
    return model


def check_model(comm):
    r, n = comm.rank, comm.size

    def bcast_data():
        model = model_of(r)
        comm.bcast_data(model)
        ref = model_of(0)
        for (name, p), (_, q) in zip(sorted(model.namedparams()), sorted(ref.namedparams())):
            check(same(p.array, q.array), 'bcast_data of parameter {}: {!r}'.format(
                name, p.array))
        for name in ('count', 'mask', 'scale'):
            check(same(getattr(model, name), getattr(ref, name)),
                  'bcast_data of persistent {}: {!r}'.format(name, getattr(model, name)))
        check(model.label == 'rank{}'.format(r), 'bcast_data left non-arrays alone')
    case(comm, 'bcast_data', bcast_data)

    def mean_grad():
        model = model_of(r)
        for p in model.params():
            p.grad = numpy.asarray(numpy.arange(p.size).reshape(p.shape) + r, p.dtype)
        comm.multi_node_mean_grad(model)
        for p in model.params():
            expected = sum(numpy.arange(p.size).reshape(p.shape) + k
                           for k in range(n)) / n
            check(p.grad.shape == p.shape and p.grad.dtype == p.dtype and
                  numpy.allclose(p.grad, expected),
                  'multi_node_mean_grad of {} {}: {!r}'.format(p.name, p.dtype, p.grad))
    case(comm, 'multi_node_mean_grad', mean_grad)


def check_split(comm):
    r, n = comm.rank, comm.size
    color = r % 2
    members = [k for k in range(n) if k % 2 == color]
    order = sorted(members, key=lambda k: -k)     # key -r: reversed

    def split():
        sub = comm.split(color, -r)
        check(type(sub) is type(comm), 'split keeps the communicator type')
        check(sub.size == len(members) and sub.rank == order.index(r),
              'split rank {} size {} (expected {} of {})'.format(
                  sub.rank, sub.size, order.index(r), len(members)))
        timeouts = getattr(sub, 'timeout', None), getattr(comm, 'timeout', None)
        check(timeouts[0] == timeouts[1], 'split keeps the timeout ({} != {})'.format(
            *timeouts))
        x = arrays(r)['stepped']
        expected = arrays(members[0])['stepped'] * 0
        for k in members:
            expected = expected + arrays(k)['stepped']
        check(close(sub.allreduce(x), expected), 'allreduce on the sub-communicator')
        root = sub.size - 1
        got = sub.bcast(arrays(r)['0-d'] if sub.rank == root else None, root=root)
        check(same(got, arrays(order[root])['0-d']), 'bcast on the sub-communicator')
        check(sub.allgather_obj(r) == order, 'allgather_obj on the sub-communicator')
        got = sub.alltoall([numpy.array([r, j]) for j in range(sub.size)])
        check([g.tolist() for g in got] == [[k, sub.rank] for k in order],
              'alltoall on the sub-communicator')
        model = model_of(r)
        for p in model.params():
            p.grad = numpy.full(p.shape, r, p.dtype)
        sub.multi_node_mean_grad(model)
        check(all(numpy.allclose(p.grad, numpy.mean(members)) for p in model.params()),
              'multi_node_mean_grad on the sub-communicator')
        sub.finalize()
        check(comm.allreduce_obj(1) == n, 'the parent works after the split')
    case(comm, 'split', split)


def check_errors(comm):
    """Wrong input: a clear error on every rank, and the communicator still works after."""
    r, n = comm.rank, comm.size

    def raises(what, error, match, f):
        try:
            f()
        except error as e:
            check(match in str(e), '{}: unclear error {!r}'.format(what, str(e)))
        except Exception as e:
            check(False, '{}: {} instead of {}: {}'.format(what, type(e).__name__,
                                                           error.__name__, e))
        else:
            check(False, '{}: no error'.format(what))
        check(comm.allreduce_obj(1) == n, 'usable after {}'.format(what))

    if n > 1:
        raises('allreduce of shapes differing between ranks', ValueError, 'shape',
               lambda: comm.allreduce(numpy.ones(3 + r, numpy.float32)))
        raises('allreduce of transposed shapes', ValueError, 'shape',
               lambda: comm.allreduce(numpy.ones((2, 3) if r == 0 else (3, 2))))
        raises('allreduce of dtypes differing between ranks', ValueError, 'dtype',
               lambda: comm.allreduce(numpy.ones(4, numpy.float32 if r else numpy.float64)))
    raises('allreduce of bool', TypeError, 'bool',
           lambda: comm.allreduce(numpy.ones(3, bool)))
    raises('allreduce of objects', TypeError, 'object',
           lambda: comm.allreduce(numpy.array([None, 1], object)))
    for root in (n, -1):
        raises('gather to rank {}'.format(root), ValueError, 'does not exist',
               lambda: comm.gather(numpy.ones(2), root=root))
        raises('gather_obj to rank {}'.format(root), ValueError, 'does not exist',
               lambda: comm.gather_obj(r, root=root))
        raises('bcast from rank {}'.format(root), ValueError, 'does not exist',
               lambda: comm.bcast(numpy.ones(2), root=root))
        raises('bcast_obj from rank {}'.format(root), ValueError, 'does not exist',
               lambda: comm.bcast_obj(r, root=root))
        raises('scatter from rank {}'.format(root), ValueError, 'does not exist',
               lambda: comm.scatter([numpy.ones(1)] * n, root=root))
    if n > 1:
        # Every rank has every piece: all of them can tell, not only the root.
        raises('gather of shapes differing between ranks', ValueError, 'shape',
               lambda: comm.gather(numpy.ones(2 + r), root=0))
        raises('gather of dtypes differing between ranks', ValueError, 'dtype',
               lambda: comm.gather(numpy.ones(2, numpy.float32 if r else numpy.float64)))
    raises('alltoall with a piece too few', ValueError, 'one array per rank',
           lambda: comm.alltoall([numpy.zeros(1)] * (n - 1)))
    if n > 1:
        # Without zero_fill the mean of a gradient that only some ranks have is undefined.
        model = model_of(r)
        for p in model.params():
            p.grad = numpy.ones(p.shape, p.dtype) if p.name != 's' or r == 0 else None
        raises('multi_node_mean_grad of a gradient missing on some ranks', ValueError,
               "'/s'", lambda: comm.multi_node_mean_grad(model))
        model = model_of(r)
        if r == n - 1:
            with model.init_scope():
                model.extra = dchain.Parameter(numpy.zeros(1, numpy.float32))
        raises('bcast_data of different models', ModelMismatchError, 'extra',
               lambda: comm.bcast_data(model))


GROUPS = (check_arrays, check_alltoall, check_send_recv, check_objects, check_model,
          check_split, check_errors)


def main():
    name = sys.argv[1]
    comm = mn.create_communicator(name, timeout=float(sys.argv[2]))
    for group in GROUPS:
        group(comm)
        comm.barrier()
    for failure in failures:
        print('FAILED rank {}: {}'.format(comm.rank, failure))
    if not failures:
        print('API EDGES OK rank', comm.rank)
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""Communicators (flat, naive, and the one of a single process) on awkward inputs: 0-d, empty
and non-contiguous arrays, many dtypes, large objects, uneven alltoall, tagged send/recv,
split, bcast_data of mixed dtypes; wrong input gives a clear error on every rank."""
import importlib.util
import os

import pytest

import dchain.distributed as mn

pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workers', 'api_edges.py')


@pytest.mark.parametrize('n', [1, 3])
@pytest.mark.parametrize('name', ['flat', 'naive'])
def test_awkward_inputs(run_mpi, name, n):
    # (A timeout of its own: split must hand it on. A hang would end in a timeout error.)
    proc = run_mpi(n, 'api_edges.py', name, 45, timeout=150)
    assert proc.stdout.count('API EDGES OK') == n, proc.stdout[-6000:]


def test_awkward_inputs_in_one_process():
    spec = importlib.util.spec_from_file_location('api_edges_worker', WORKER)
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    comm = mn.SingleProcessCommunicator()
    for group in worker.GROUPS:
        group(comm)
    assert worker.failures == []


@pytest.mark.parametrize('name', ['flat', 'naive', 'flat-mpi'])
def test_optimizer_without_zero_fill_on_a_gradient_some_ranks_lack(run_mpi, name):
    proc = run_mpi(2, 'partial_grads.py', name)
    assert proc.stdout.count('PARTIAL OK') == 2, proc.stdout
    # Its mean is undefined: every rank raises, naming it and the rank without one.
    assert proc.stdout.count("parameter '/2/W' has a gradient on some ranks only (none on "
                             "rank(s) 1)") == 2, proc.stdout

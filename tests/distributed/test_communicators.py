"""Communicators on real MPI ranks: collectives, equivalence with one process, faults."""
import time

import pytest

import dchain.distributed as mn
from dchain import _native

# These start real MPI jobs (and a control plane) on a shared machine: a run that loses a race
# with other concurrently starting jobs is retried, and must then pass on its own merits.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)


@pytest.mark.parametrize('n', [2, 3])
@pytest.mark.parametrize('name', ['flat', 'naive'])
def test_collectives(run_mpi, n, name):
    proc = run_mpi(n, 'collectives.py', name)
    assert proc.stdout.count('COLLECTIVES OK') == n


@pytest.mark.parametrize('n', [2, 3])
@pytest.mark.parametrize('optimizer', ['momentum', 'adam'])
@pytest.mark.parametrize('communicator', ['flat', 'flat-mpi', 'naive'])
def test_data_parallel_matches_single_process(run_mpi, n, optimizer, communicator):
    args = ['--optimizer', optimizer, '--communicator', communicator.split('-')[0]]
    if communicator == 'flat-mpi':
        args.append('--no-shared-memory')
    proc = run_mpi(n, 'equivalence.py', *args)
    assert 'EQUIVALENT' in proc.stdout, proc.stdout
    assert 'replicas_identical=True' in proc.stdout, proc.stdout
    # All ranks share this machine: flat reduces in node-shared memory unless told not to,
    # and then the ranks share the update too.
    assert ('shared_memory=True' in proc.stdout) == (communicator == 'flat'), proc.stdout
    assert ('sharded_update=True' in proc.stdout) == (communicator == 'flat'), proc.stdout
    # With the compiled kernels, the reduction updates the parameters chunk by chunk.
    assert ('chunk_update=True' in proc.stdout) == (communicator == 'flat' and
                                                    _native.available), proc.stdout
    if communicator == 'flat-mpi':
        # Small buckets: some allreduces must have started during backward.
        overlapped = int(proc.stdout.split('overlapped_buckets=')[1].split()[0])
        assert overlapped > 0


@pytest.mark.parametrize('n', [2, 3])
def test_optimizer_hooks_see_averaged_gradients(run_mpi, n):
    # Gradient clipping takes the norm of every gradient, weight decay changes each one: with
    # the update shared between ranks both must act exactly as in one process.
    proc = run_mpi(n, 'equivalence.py', '--optimizer', 'adam', '--hooks')
    assert 'EQUIVALENT' in proc.stdout and 'sharded_update=True' in proc.stdout, proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_double_buffering_applies_previous_gradients(run_mpi, n):
    proc = run_mpi(n, 'equivalence.py', '--double-buffering', '--optimizer', 'adam')
    assert 'EQUIVALENT' in proc.stdout, proc.stdout



def test_exception_in_one_rank_aborts_the_job(run_mpi):
    start = time.monotonic()
    proc = run_mpi(3, 'faults.py', 'raise', expect_success=False, timeout=120)
    assert proc.returncode != 0
    assert time.monotonic() - start < 60
    assert proc.stderr.count('injected failure on the last rank') >= 1
    assert '[rank 2/3]' in proc.stderr
    # The ranks the launcher then kills are not reported as lost.
    assert 'ended abruptly' not in proc.stderr, proc.stderr[-3000:]


def test_sigkill_of_one_rank_ends_the_job(run_mpi):
    start = time.monotonic()
    proc = run_mpi(2, 'faults.py', 'sigkill', expect_success=False, timeout=120,
                   env={'DCHAIN_COLLECTIVE_TIMEOUT': '10'})
    assert proc.returncode != 0
    assert time.monotonic() - start < 60
    # mpiexec itself names only the PID; the rank's watcher names the rank, and only it.
    assert '[dchain] rank 1/2 (pid ' in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.count('ended abruptly') == 1, proc.stderr[-3000:]


def test_hung_rank_is_named_by_the_timeout(run_mpi):
    proc = run_mpi(3, 'faults.py', 'hang', expect_success=False, timeout=120,
                   env={'DCHAIN_COLLECTIVE_TIMEOUT': '3'})
    assert proc.returncode != 0
    assert 'CollectiveTimeoutError' in proc.stderr
    assert 'rank(s) 2 did not arrive' in proc.stderr, proc.stderr[-3000:]


@pytest.mark.parametrize('n,args', [(2, []), (3, []), (2, ['--no-shared-memory']),
                                    (2, ['--no-shared-memory', '--no-overlap'])])
def test_ranks_out_of_step_are_reported_before_the_timeout(run_mpi, n, args):
    # The last rank calls a collective the others do not: they wait in the gradient
    # reduction (in shared memory, polling MPI requests, or in a blocking MPI allreduce that
    # the watchdog thread guards), it waits in bcast_obj. The check (after a quarter of the
    # 24 s timeout, and again as long as nothing moves) names both, well before the timeout.
    start = time.monotonic()
    proc = run_mpi(n, 'faults.py', 'out-of-step', *args, expect_success=False, timeout=120,
                   env={'DCHAIN_COLLECTIVE_TIMEOUT': '24'})
    assert proc.returncode != 0
    assert time.monotonic() - start < 60, proc.stderr[-3000:]
    assert 'CollectiveMismatchError' in proc.stderr, proc.stderr[-3000:]
    assert 'the ranks are out of step' in proc.stderr
    assert '(bcast_obj)' in proc.stderr and '(multi_node_mean_grad)' in proc.stderr
    assert 'did not complete within' not in proc.stderr, proc.stderr[-3000:]


def test_a_slow_rank_is_not_mistaken_for_ranks_out_of_step(run_mpi):
    # The others wait 7 s in the reduction for the last rank, which is busy meanwhile: it
    # answers that it is running, so the checks (every 3 s here) must not conclude.
    proc = run_mpi(2, 'faults.py', 'slow', timeout=120, env={'DCHAIN_COLLECTIVE_TIMEOUT': '12'})
    assert proc.returncode == 0
    assert 'CollectiveMismatchError' not in proc.stderr


@pytest.mark.parametrize('n,mode', [(2, 'receive-cycle'), (3, 'receive-cycle'),
                                    (2, 'receive-from-collective')])
def test_transfers_waiting_on_each_other_are_reported_before_the_timeout(run_mpi, n, mode):
    # Every rank receives from the next one before sending anything, or the last rank
    # receives from rank 0 while rank 0 waits in the gradient reduction: no wait can
    # complete, and the check names every rank's wait long before the 24 s timeout.
    start = time.monotonic()
    proc = run_mpi(n, 'faults.py', mode, expect_success=False, timeout=120,
                   env={'DCHAIN_COLLECTIVE_TIMEOUT': '24'})
    assert proc.returncode != 0
    assert time.monotonic() - start < 60, proc.stderr[-3000:]
    assert 'CollectiveMismatchError' in proc.stderr, proc.stderr[-3000:]
    assert 'the ranks are deadlocked' in proc.stderr, proc.stderr[-3000:]
    last = n - 1
    if mode == 'receive-cycle':
        for rank in range(n):
            assert 'rank {} in recv from rank {} (tag 5)'.format(
                rank, (rank + 1) % n) in proc.stderr, proc.stderr[-3000:]
    else:
        assert 'rank {} in recv from rank 0 (tag 5)'.format(last) in proc.stderr
        assert '(multi_node_mean_grad)' in proc.stderr, proc.stderr[-3000:]
    assert 'did not complete within' not in proc.stderr, proc.stderr[-3000:]


def test_a_late_send_is_not_mistaken_for_a_deadlock(run_mpi):
    # Rank 0 waits 7 s to receive from the last rank, which is busy meanwhile and then sends:
    # with checks every 3 s, rank 0 must see a running peer and keep waiting.
    proc = run_mpi(2, 'faults.py', 'late-send', timeout=120,
                   env={'DCHAIN_COLLECTIVE_TIMEOUT': '12'})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'CollectiveMismatchError' not in proc.stderr


def test_mismatched_model_is_reported_by_parameter_name(run_mpi):
    proc = run_mpi(2, 'faults.py', 'mismatch', expect_success=False, timeout=120)
    assert proc.returncode != 0
    assert 'ModelMismatchError' in proc.stderr
    assert "parameter '/0/W' differs between ranks" in proc.stderr, proc.stderr[-3000:]


def test_single_process_communicator_without_mpi():
    comm = mn.create_communicator()
    assert isinstance(comm, mn.SingleProcessCommunicator)
    assert comm.allreduce_obj(3) == 3 and comm.bcast_obj('x') == 'x'
    with pytest.raises(ValueError, match='rank 1 does not exist'):
        comm.bcast_obj(1, root=1)
    with pytest.raises(ValueError, match='unknown communicator'):
        mn.create_communicator('fast')


def test_model_parallel_mlp_matches_unsplit(run_mpi):
    proc = run_mpi(2, 'model_parallel.py')
    assert 'MODEL PARALLEL OK' in proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_multi_node_batch_normalization_matches_whole_batch(run_mpi, n):
    proc = run_mpi(n, 'mnbn.py')
    assert 'MNBN OK' in proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_evaluator_aggregator_checkpoint_consistency_iterators(run_mpi, n):
    proc = run_mpi(n, 'extensions.py')
    assert proc.stdout.count('EXTENSIONS OK') == n


@pytest.mark.parametrize('shared_memory', [True, False])
def test_float16_gradient_transport(run_mpi, shared_memory):
    args = [] if shared_memory else ['--no-shared-memory']
    proc = run_mpi(2, 'equivalence.py', '--allreduce-dtype', 'float16', *args)
    assert 'EQUIVALENT' in proc.stdout, proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_sharded_update_follows_layout_changes(run_mpi, n):
    proc = run_mpi(n, 'sharded_update.py')
    assert proc.stdout.count('SHARDED UPDATE OK') == n, proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_shared_reduction_starts_on_gradients_every_rank_finished(run_mpi, n):
    proc = run_mpi(n, 'shared_reduction.py')
    assert proc.stdout.count('SHARED REDUCTION OK') == n, proc.stdout

"""Training programs on the flat communicator's shared-memory path, where the reduction also
updates the parameters chunk by chunk, against a single-process reference (real MPI ranks)."""
import pytest

# These start real MPI jobs on a shared machine: a run that loses a race with other
# concurrently starting jobs is retried, and must then pass on its own merits.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)

GROUPS = {
    # float64 and mixed float32/float64 parameters, a weight of 2+ claim chunks whose size is
    # no multiple of one, size-1 parameters; Adam, MomentumSGD, SGD.
    'dtypes': ['dtypes'],
    # zero-filled branches (on some steps, on some ranks), a disabled update rule, lazily
    # initialized links (one first used after sharding started), unequal batch sizes
    # (ranks weighted equally, as ChainerMN's multi_node_mean_grad).
    'structure': ['missing_grads', 'lazy', 'batch_sizes'],
    # hyperparameters changed between steps, manual backward (accumulated, without
    # cleargrads, gradients set by hand) alternating with update(lossfun), save_npz on every
    # rank loaded into one process and back into the replicas.
    'program': ['hyperparams', 'manual', 'serialize'],
}


@pytest.mark.parametrize('n', [2, 3])
@pytest.mark.parametrize('group', sorted(GROUPS))
def test_chunk_update_matches_single_process(run_mpi, n, group):
    scenarios = GROUPS[group]
    proc = run_mpi(n, 'chunk_update_training.py', *scenarios, timeout=120)
    for name in scenarios:
        assert proc.stdout.count('SCENARIO {} OK'.format(name)) == n, proc.stdout


@pytest.mark.parametrize('n', [2, 3])
def test_state_created_lazily_is_shared_by_every_rank(run_mpi, n):
    # Adam creates 'vhat' (AMSGrad) and initial_alpha (AdaBound) at the first update using
    # them; switched on mid-training, every rank's optimizer must hold them for every
    # parameter, and the next layout change must rebuild the sharding.
    proc = run_mpi(n, 'chunk_update_training.py', 'lazy_state', timeout=120)
    assert proc.stdout.count('SCENARIO lazy_state OK') == n, proc.stdout

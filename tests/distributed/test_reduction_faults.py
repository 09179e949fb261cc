"""A rank lost or late at each point of flat's node-shared-memory gradient reduction: the job
ends quickly, every rank non-zero, and the message names that rank (and only it)."""
import os
import re
import time

import pytest

# Real MPI jobs on a shared machine: a run that loses a start-up race is retried.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)

TIMEOUT = 3.0     # DCHAIN_COLLECTIVE_TIMEOUT of the stalling cases
MARGIN = 8.0      # abort, the launcher's clean-up and a loaded machine


def _gone(pid):
    try:
        with open('/proc/{}/stat'.format(pid)) as f:
            return f.read().split(')')[-1].split()[0] == 'Z'
    except OSError:
        return True


def _run_fault(run_mpi, tmp_path, action, point):
    # Each rank writes its PID to a file: output a rank printed can be lost when the job is
    # aborted.
    env = {'DCHAIN_COLLECTIVE_TIMEOUT': str(TIMEOUT), 'FAULT_PID_DIR': str(tmp_path)}
    proc = run_mpi(3, 'reduction_faults.py', action, point, expect_success=False,
                   timeout=90, env=env)
    ended = time.time()
    out, err = proc.stdout, proc.stderr
    assert proc.returncode != 0, out + err[-3000:]
    assert 'FINISHED' not in out, out
    fault = re.findall(r'FAULT (\w+) at (\w+) time ([\d.]+)', out)
    assert [(a, p) for a, p, _ in fault] == [(action, point)], out + err[-3000:]
    elapsed = ended - float(fault[0][2])
    limit = MARGIN + (TIMEOUT + min(10.0, max(1.0, TIMEOUT / 10)) if action == 'stall' else 0)
    assert elapsed < limit, (elapsed, err[-3000:])
    pids = [int(open(os.path.join(tmp_path, 'rank{}.pid'.format(r))).read()) for r in range(3)]
    deadline = time.monotonic() + 5
    while not all(_gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(p) for p in pids), 'a rank outlived the job'
    return err


@pytest.mark.parametrize('action, point', [
    ('raise', 'backward'), ('raise', 'claim'), ('kill', 'marked'), ('kill', 'barrier')])
def test_lost_rank_ends_the_job(run_mpi, tmp_path, action, point):
    err = _run_fault(run_mpi, tmp_path, action, point)
    if action == 'raise':
        assert '[rank 2/3] RuntimeError: injected failure at {}'.format(point) in err, err
        assert 'uncaught RuntimeError' in err
        # The others were ended by the abort: none of them is accused of anything.
        assert 'ended abruptly' not in err and 'CollectiveTimeoutError' not in err, err
    else:
        assert '[dchain] rank 2/3 (pid ' in err, err[-3000:]
        assert err.count('ended abruptly') == 1, err[-3000:]


# (A rank late in backward, the others waiting for its gradients: test_communicators'
# test_hung_rank_is_named_by_the_timeout.)
@pytest.mark.parametrize('point', ['marked', 'claim', 'barrier'])
def test_late_rank_is_named_by_the_timeout(run_mpi, tmp_path, point):
    err = _run_fault(run_mpi, tmp_path, 'stall', point)
    named = re.findall(r'rank(?:\(s\))? ([\d, ]+) did not arrive', err)
    assert named, err[-3000:]
    # Whichever of ranks 0 and 1 timed out first: only rank 2 is late.
    assert set(named) == {'2'}, err[-3000:]
    assert 'CollectiveTimeoutError' in err

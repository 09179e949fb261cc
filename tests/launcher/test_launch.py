"""dchain-launch -n 2 end to end: status while running, stop with snapshot, resume, faults."""
import os
import signal
import sys
import time

import grpc
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch_helpers import address_of, alive, wait_for  # noqa: E402

from dchain.control import _record  # noqa: E402
from dchain.control.client import ControlClient  # noqa: E402
from dchain.control.v1 import control_pb2 as pb  # noqa: E402
from launcher.main import find_mpiexec  # noqa: E402

# These start real MPI jobs (and a control plane) on a shared machine: a run that loses a race
# with other concurrently starting jobs is retried, and must then pass on its own merits.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)


def _running_with_both_ranks(client, min_iteration=1):
    job = client.get_job()
    if job.state == pb.RUNNING and job.iteration >= min_iteration and \
            all(w.pid > 0 and w.state == pb.WORKER_RUNNING for w in job.workers):
        return job
    return None


def test_launch_status_watch_stop_and_resume(launch, tmp_path):
    proc = launch('e2e-1')
    client = ControlClient(address_of('e2e-1'))
    try:
        first = wait_for(lambda: _running_with_both_ranks(client, 3), 60, 'RUNNING', proc)
        assert first.world_size == 2 and [w.rank for w in first.workers] == [0, 1]
        assert len({w.pid for w in first.workers}) == 2
        later = wait_for(lambda: _running_with_both_ranks(client, first.iteration + 5), 30,
                         'progress')
        assert later.iteration > first.iteration and 'main/loss' in later.observations
        assert later.throughput > 0
        stream = client.watch_job(min_interval=0.05, timeout=30)
        updates = [next(stream) for _ in range(3)]
        assert [u.version for u in updates] == sorted(set(u.version for u in updates))
        assert updates[-1].iteration >= updates[0].iteration
        stream.cancel()
        response = client.stop_job(reason='test')
        assert response.job.state == pb.STOPPING
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        client.close()
    assert proc.returncode == 0, stderr[-3000:]
    job = _record.load_record('e2e-1')
    assert job.state == pb.STOPPED and job.exit_code == 0
    finals = sorted(line.split()[2:] for line in stdout.splitlines() if ' FINAL ' in line)
    assert [f[0] for f in finals] == ['0', '1'] and finals[0][1] == finals[1][1]
    stopped_at = int(finals[0][1])
    assert '[0] ' in stdout and '[1] ' in stdout   # rank prefixes
    for rank in (0, 1):
        assert os.path.exists(tmp_path / 'run' / 'snap_rank{}_iter_{}'.format(rank, stopped_at))
    assert (tmp_path / 'run' / 'dchain_job.json').exists()

    proc = launch('e2e-2', iterations=stopped_at + 3, step_sleep=0)
    stdout, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 0, stderr[-3000:]
    assert '[0] RESUMED_FROM {}'.format(stopped_at) in stdout
    assert '[1] RESUMED_FROM {}'.format(stopped_at) in stdout
    assert '[0] FINAL 0 {}'.format(stopped_at + 3) in stdout
    assert _record.load_record('e2e-2').state == pb.SUCCEEDED


def _job_now(client, job_id):
    try:
        return client.get_job(timeout=2)
    except grpc.RpcError:
        return _record.load_record(job_id)


def test_sigkill_of_one_rank_fails_the_job_and_stops_the_rest(launch):
    proc = launch('kill-1')
    with ControlClient(address_of('kill-1')) as client:
        job = wait_for(lambda: _running_with_both_ranks(client, 2), 60, 'RUNNING', proc)
        pids = [p for w in job.workers for p in (w.pid, w.wrapper_pid)]
        victim = {w.rank: w.pid for w in job.workers}[1]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.time()
        failed = wait_for(lambda: (lambda j: j if j.state == pb.FAILED else None)(
            _job_now(client, 'kill-1')), 10, 'FAILED')
        assert time.time() - killed_at < 10
    assert failed.failure.rank == 1 and failed.failure.signal == signal.SIGKILL
    assert 'SIGKILL' in failed.failure.message
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert 'rank 1' in stderr
    wait_for(lambda: not any(alive(p) for p in pids), 10, 'every rank process gone')
    assert _record.load_record('kill-1').state == pb.FAILED


def test_a_rank_raising_fails_the_job_with_its_traceback(launch):
    proc = launch('raise-1', worker_args=['--fail-rank', '1', '--fail-at', '5'])
    stdout, stderr = proc.communicate(timeout=90)
    assert proc.returncode != 0
    job = _record.load_record('raise-1')
    assert job.state == pb.FAILED and job.failure.rank == 1
    assert any('injected failure' in line for line in job.failure.traceback)
    assert '[1] ' in stderr and 'injected failure' in stderr


def test_a_rank_that_stops_reporting_is_flagged_silent(launch):
    proc = launch('silent-1', extra=['--heartbeat-timeout', '1'])
    with ControlClient(address_of('silent-1')) as client:
        job = wait_for(lambda: _running_with_both_ranks(client, 2), 60, 'RUNNING', proc)
        victim = {w.rank: w.pid for w in job.workers}[1]
        os.kill(victim, signal.SIGSTOP)
        try:
            flagged = wait_for(lambda: (lambda j: j if j.workers[1].silent else None)(
                client.get_job()), 10, 'silent flag')
            assert flagged.workers[1].straggler and flagged.workers[1].state == pb.WORKER_SILENT
        finally:
            os.kill(victim, signal.SIGCONT)
        client.stop_job()
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert _record.load_record('silent-1').state == pb.STOPPED


def test_ctrl_c_stops_gracefully(launch):
    proc = launch('int-1')
    with ControlClient(address_of('int-1')) as client:
        wait_for(lambda: _running_with_both_ranks(client, 2), 60, 'RUNNING', proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr[-2000:]
    assert _record.load_record('int-1').state == pb.STOPPED


def test_missing_mpiexec_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, 'executable', str(tmp_path / 'python'))
    monkeypatch.setenv('PATH', str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r'pip install "dchain\[mpi\]"'):
        find_mpiexec()
    with pytest.raises(FileNotFoundError, match='mpi'):
        find_mpiexec('/no/such/mpiexec')

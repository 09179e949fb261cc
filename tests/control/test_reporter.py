"""ControlReporter inside a real training process, talking to a server in the test process."""
import os
import subprocess
import sys
import time

from dchain.control.client import ControlClient
from dchain.control.v1 import control_pb2 as pb

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      'launcher', 'train_tiny.py')


def _start(out, address, iterations, step_sleep, job_id='job-1', token=None):
    env = dict(os.environ, DCHAIN_CONTROL_ADDR=address, DCHAIN_JOB_ID=job_id,
               PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')
    if token:
        env['DCHAIN_CONTROL_TOKEN'] = token
    for name in ('PMI_RANK', 'PMI_SIZE', 'OMPI_COMM_WORLD_SIZE', 'PMIX_RANK'):
        env.pop(name, None)
    return subprocess.Popen([sys.executable, SCRIPT, '--out', str(out), '--iterations',
                             str(iterations), '--step-sleep', str(step_sleep)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait(predicate, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError('condition not met within {} s'.format(timeout))


def test_reports_progress_then_stops_with_a_snapshot_and_resumes(make_server, tmp_path):
    srv = make_server(world_size=1, token='tok')
    out = tmp_path / 'run'
    proc = _start(out, srv.address, 100000, 0.01, token='tok')
    try:
        with ControlClient(srv.address, token='tok') as c:
            first = _wait(lambda: (lambda j: j if j.iteration >= 5 else None)(c.get_job()))
            assert first.state == pb.RUNNING
            second = _wait(lambda: (lambda j: j if j.iteration > first.iteration + 5
                                    else None)(c.get_job()))
            assert 'main/loss' in second.observations
            assert second.workers[0].pid == proc.pid and second.workers[0].mean_step_time > 0
            assert second.has_eta and second.stop_length == 100000
            c.stop_job(reason='test')
            stdout, stderr = proc.communicate(timeout=60)
            assert proc.returncode == 0, stderr
            job = _wait(lambda: (lambda j: j if j.state == pb.STOPPED else None)(c.get_job()),
                        timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    stopped_at = int(stdout.split('FINAL 0 ')[1].split()[0])
    assert job.last_snapshot.endswith('snap_rank0_iter_{}'.format(stopped_at))
    assert os.path.exists(job.last_snapshot)
    # Rerunning resumes from the snapshot the stop took.
    proc = _start(out, srv.address, stopped_at + 5, 0.0, token='tok')
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert 'RESUMED_FROM {}'.format(stopped_at) in stdout
    assert 'FINAL 0 {}'.format(stopped_at + 5) in stdout


def test_snapshot_on_request_keeps_training(make_server, tmp_path):
    srv = make_server(world_size=1)
    proc = _start(tmp_path / 'run', srv.address, 100000, 0.01)
    try:
        with ControlClient(srv.address) as c:
            _wait(lambda: c.get_job().iteration >= 3)
            c.request_snapshot()
            job = _wait(lambda: (lambda j: j if j.last_snapshot else None)(c.get_job()))
            assert os.path.exists(job.last_snapshot)
            it = job.iteration
            _wait(lambda: c.get_job().iteration > it + 3)
            assert c.get_job().state == pb.RUNNING and proc.poll() is None
    finally:
        proc.kill()
        proc.communicate()


def test_training_survives_the_control_plane_going_away(make_server, tmp_path):
    srv = make_server(world_size=1)
    proc = _start(tmp_path / 'run', srv.address, 300, 0.01)
    try:
        with ControlClient(srv.address) as c:
            _wait(lambda: c.get_job().iteration >= 3)
        srv.stop(grace=0)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert 'FINAL 0 300' in stdout


def test_rank0_hosts_the_control_plane_without_a_launcher(tmp_path, dchain_home):
    env = dict(os.environ, DCHAIN_CONTROL='1', DCHAIN_JOB_ID='hosted-1', PYTHONUNBUFFERED='1')
    env.pop('DCHAIN_CONTROL_ADDR', None)
    proc = subprocess.run([sys.executable, SCRIPT, '--out', str(tmp_path / 'run'),
                           '--iterations', '30'], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert 'serving on 127.0.0.1:' in proc.stderr
    from dchain.control import _record
    job = _record.load_record('hosted-1')
    assert job.state == pb.SUCCEEDED and job.iteration == 30

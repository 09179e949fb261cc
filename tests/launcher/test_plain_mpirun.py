"""Under a plain mpiexec (no launcher) rank 0 hosts the control plane: status and stop work."""
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from launch_helpers import SCRIPT, address_of, wait_for  # noqa: E402

from dchain.control import _record  # noqa: E402
from dchain.control.client import ControlClient  # noqa: E402
from dchain.control.v1 import control_pb2 as pb  # noqa: E402
from launcher.main import find_mpiexec  # noqa: E402

# These start real MPI jobs (and a control plane) on a shared machine: a run that loses a race
# with other concurrently starting jobs is retried, and must then pass on its own merits.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)


def test_rank0_hosts_and_obeys_stop(tmp_path, monkeypatch):
    monkeypatch.setenv('DCHAIN_HOME', str(tmp_path / 'home'))
    env = dict(os.environ, DCHAIN_CONTROL='1', DCHAIN_JOB_ID='plain-1', PYTHONUNBUFFERED='1',
               OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')
    for name in ('DCHAIN_CONTROL_ADDR', 'DCHAIN_CONTROL_TOKEN'):
        env.pop(name, None)
    out = str(tmp_path / 'run')
    proc = subprocess.Popen([find_mpiexec(), '-n', '2', sys.executable, SCRIPT, '--out', out,
                             '--iterations', '100000', '--step-sleep', '0.01'], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with ControlClient(address_of('plain-1')) as client:
            job = wait_for(lambda: (lambda j: j if j.iteration >= 3 and all(
                w.pid for w in j.workers) else None)(client.get_job()), 60, 'RUNNING')
            assert job.state == pb.RUNNING and job.world_size == 2
            client.stop_job()
            stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr[-2000:]
    job = _record.load_record('plain-1')
    assert job.state == pb.STOPPED and os.path.exists(job.last_snapshot)
    assert stdout.count('FINAL') == 2

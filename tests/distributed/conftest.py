"""Run worker scripts as real MPI jobs: ``run_mpi(n, 'script.py', args)``."""
import os
import shutil
import subprocess
import sys

import pytest

WORKERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workers')


def _mpiexec():
    candidate = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    if os.path.exists(candidate):
        return candidate
    return shutil.which('mpiexec')


@pytest.fixture
def run_mpi():
    mpiexec = _mpiexec()
    if mpiexec is None:
        pytest.fail('mpiexec not found: install the mpi extra (pip install "dchain[mpi]")')

    def run(n, script, *args, timeout=180, env=None, expect_success=True):
        full_env = dict(os.environ)
        full_env.update({'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1',
                         'MKL_NUM_THREADS': '1', 'PYTHONUNBUFFERED': '1'})
        full_env.update(env or {})
        cmd = [mpiexec, '-n', str(n), sys.executable, os.path.join(WORKERS, script)]
        cmd += [str(a) for a in args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=full_env)
        if expect_success and proc.returncode != 0:
            pytest.fail('{} failed with exit code {}\nstdout:\n{}\nstderr:\n{}'.format(
                ' '.join(cmd), proc.returncode, proc.stdout[-5000:], proc.stderr[-5000:]))
        return proc
    return run

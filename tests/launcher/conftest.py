"""Helpers for the launcher tests: start dchain-launch on train_tiny.py and find its job."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, 'train_tiny.py')


@pytest.fixture
def launch(tmp_path, monkeypatch):
    home = tmp_path / 'home'
    monkeypatch.setenv('DCHAIN_HOME', str(home))
    for name in ('DCHAIN_CONTROL_ADDR', 'DCHAIN_CONTROL_TOKEN', 'DCHAIN_CONTROL',
                 'DCHAIN_JOB_ID'):
        monkeypatch.delenv(name, raising=False)
    procs = []

    def start(job_id, n=2, iterations=100000, step_sleep=0.01, extra=(), out=None,
              worker_args=()):
        out = str(out or tmp_path / 'run')
        env = dict(os.environ, OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1',
                   PYTHONUNBUFFERED='1')
        cmd = [sys.executable, '-m', 'launcher', '-n', str(n), '--job-id', job_id,
               '--out', out] + list(extra) + ['--', sys.executable, SCRIPT, '--out', out,
                                              '--iterations', str(iterations),
                                              '--step-sleep', str(step_sleep)] + list(worker_args)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=os.path.dirname(HERE))
        procs.append(proc)
        return proc
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()   # the launcher takes every rank down with it
            try:
                proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate(timeout=10)

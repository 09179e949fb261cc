"""Helpers for the launcher tests: start dchain-launch on train_tiny.py and find its job."""
import os
import subprocess
import sys
import time

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


def wait_for(predicate, timeout=30.0, what='condition'):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = predicate()
        except Exception as e:   # the control plane may not be up yet
            last = e
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError('{} not met within {} s (last error: {!r})'.format(what, timeout, last))


def address_of(job_id, timeout=30.0):
    from dchain.control import _record
    job = wait_for(lambda: (lambda j: j if j is not None and j.address else None)(
        _record.load_record(job_id)), timeout, 'job record')
    return job.address


def alive(pid):
    try:
        with open('/proc/{}/status'.format(pid)) as f:
            return not any(line.startswith('State:') and 'Z' in line.split()[1] for line in f)
    except OSError:
        return False

"""Polling helpers shared by the launcher tests."""
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, 'train_tiny.py')


def wait_for(predicate, timeout=30.0, what='condition', proc=None):
    """Poll ``predicate`` until it returns something true. With ``proc`` (the launcher), fail
    at once if it exits first, showing what it printed."""
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
        if proc is not None and proc.poll() is not None:
            stdout, stderr = proc.communicate()
            raise AssertionError('{} not met: the launcher exited with code {} (last error: '
                                 '{!r})\nstdout:\n{}\nstderr:\n{}'.format(
                                     what, proc.returncode, last, stdout[-3000:],
                                     stderr[-3000:]))
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

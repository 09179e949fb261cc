"""Shared helpers of the control plane: environment names, addresses, tokens, atomic writes."""
import json
import os
import socket
import tempfile

#: Address (HOST:PORT) of the control plane, set for every rank by the launcher.
ENV_ADDR = 'DCHAIN_CONTROL_ADDR'
#: The job id the control plane knows the job by.
ENV_JOB_ID = 'DCHAIN_JOB_ID'
#: Bearer token guarding the control plane.
ENV_TOKEN = 'DCHAIN_CONTROL_TOKEN'
#: ``1`` under a plain mpirun/srun: rank 0 hosts the control plane itself.
ENV_HOST_CONTROL = 'DCHAIN_CONTROL'
#: Address rank 0 binds when it hosts the control plane (default 127.0.0.1:0, any port).
ENV_BIND = 'DCHAIN_CONTROL_BIND'
#: Root of dchain's per-user state (default ``~/.dchain``).
ENV_HOME = 'DCHAIN_HOME'
#: The job's output directory (where the job record is written).
ENV_JOB_DIR = 'DCHAIN_JOB_DIR'

#: Largest request or response accepted (bytes).
MAX_MESSAGE_BYTES = 4 * 1024 * 1024

RECORD_NAME = 'dchain_job.json'


def dchain_home():
    return os.environ.get(ENV_HOME) or os.path.join(os.path.expanduser('~'), '.dchain')


def jobs_index_dir():
    return os.path.join(dchain_home(), 'jobs')


def split_address(address):
    """``HOST:PORT`` (``[v6]:PORT`` too) -> (host, port)."""
    host, sep, port = address.rpartition(':')
    if not sep or not port.isdigit():
        raise ValueError('a control address must look like HOST:PORT, got {!r}'.format(address))
    return host.strip('[]') or '127.0.0.1', int(port)


def is_loopback(host):
    if host in ('localhost', 'ip6-localhost'):
        return True
    try:
        import ipaddress
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_token(token_file=None):
    """The token from ``token_file`` or ``$DCHAIN_CONTROL_TOKEN`` (None when neither is set)."""
    if token_file:
        with open(token_file, encoding='utf-8') as f:
            token = f.read().strip()
        if not token:
            raise ValueError('token file {!r} is empty'.format(token_file))
        return token
    return os.environ.get(ENV_TOKEN) or None


def atomic_write_json(path, data):
    """Write ``data`` as JSON to ``path``: temp file in the same directory, fsync, rename."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def hostname():
    return socket.gethostname()

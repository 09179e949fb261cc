"""dchain.control: the gRPC control plane (job status, stop and snapshot on demand).

Workers report through :class:`ControlReporter`, a trainer extension that
:func:`maybe_extend` adds when the environment says there is a control plane:

* ``DCHAIN_CONTROL_ADDR=HOST:PORT`` (set by ``dchain-launch``): report to that server.
* ``DCHAIN_CONTROL=1`` under a plain ``mpirun``/``srun``: rank 0 hosts the server itself (bound
  to ``DCHAIN_CONTROL_BIND``, default ``127.0.0.1:0``), prints its address and records it in
  the job index so ``dchain status`` finds it; the other ranks learn the address by broadcast.

Importing this package is cheap; gRPC is loaded only when a control plane is used.
"""
import os
import sys

from dchain.control._common import (ENV_ADDR, ENV_BIND, ENV_HOST_CONTROL, ENV_JOB_ID,  # noqa
                                    ENV_TOKEN, ENV_HOME, ENV_JOB_DIR)

_LAZY = {
    'ControlReporter': ('dchain.control.reporter', 'ControlReporter'),
    'ControlServer': ('dchain.control.server', 'ControlServer'),
    'ControlClient': ('dchain.control.client', 'ControlClient'),
    'JobRecord': ('dchain.control._record', 'JobRecord'),
    'serve': ('dchain.control.server', 'serve'),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


def new_job_id(name='job'):
    import re
    import time
    import uuid
    name = os.path.splitext(name or 'job')[0]
    stem = re.sub(r'[^A-Za-z0-9._-]', '-', name)[:64] or 'job'
    return '{}-{}-{}'.format(stem, time.strftime('%Y%m%d-%H%M%S'), uuid.uuid4().hex[:6])


def maybe_extend(trainer, **kwargs):
    """Add a :class:`ControlReporter` to ``trainer`` if the environment asks for one.

    Returns the reporter (None when no control plane is configured). Calling it twice on the
    same trainer adds one reporter only. ``kwargs`` go to :class:`ControlReporter`.
    """
    existing = getattr(trainer, '_dchain_control_reporter', None)
    if existing is not None:
        return existing
    address = os.environ.get(ENV_ADDR)
    host = os.environ.get(ENV_HOST_CONTROL, '').lower() in ('1', 'true', 'yes', 'on')
    if not address and not host:
        return None
    from dchain.control import reporter as reporter_module
    server = None
    if not address:
        comm = kwargs.get('comm') or reporter_module.find_communicator(trainer)
        rank, size = (comm.rank, comm.size) if comm is not None else \
            reporter_module.env_rank_size()
        job_id = os.environ.get(ENV_JOB_ID)
        if rank == 0:
            from dchain.control import _common, server as server_module
            job_id = job_id or new_job_id(os.path.basename(sys.argv[0] or 'job'))
            server = server_module.serve(
                job_id, name=os.environ.get('DCHAIN_JOB_NAME', job_id), world_size=size,
                out_dir=trainer.out, address=os.environ.get(ENV_BIND, '127.0.0.1:0'),
                token=_common.read_token(), command_line=sys.argv)
            address = server.address
            print('dchain control: job {} serving on {}'.format(job_id, address),
                  file=sys.stderr)
        if comm is not None and size > 1:
            address, job_id = comm.bcast_obj((address, job_id), root=0)
        if not address:
            return None
        kwargs.setdefault('comm', comm)
        kwargs.setdefault('job_id', job_id)
    reporter = reporter_module.ControlReporter(address=address, **kwargs)
    reporter.host_server = server
    return reporter.attach(trainer)

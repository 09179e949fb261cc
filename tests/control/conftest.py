"""Fixtures for the control plane tests: a private DCHAIN_HOME and a running server."""
import pytest


@pytest.fixture(autouse=True)
def dchain_home(tmp_path, monkeypatch):
    home = tmp_path / 'dchain_home'
    monkeypatch.setenv('DCHAIN_HOME', str(home))
    for name in ('DCHAIN_CONTROL_ADDR', 'DCHAIN_CONTROL_TOKEN', 'DCHAIN_CONTROL',
                 'DCHAIN_JOB_ID'):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def make_server(tmp_path):
    from dchain.control import server as server_module
    servers = []

    def make(token=None, world_size=2, heartbeat_timeout=10.0, job_id='job-1', **kwargs):
        srv = server_module.serve(job_id, name='test', world_size=world_size,
                                  out_dir=str(tmp_path / 'out'), token=token,
                                  heartbeat_timeout=heartbeat_timeout, **kwargs)
        servers.append(srv)
        return srv
    yield make
    for srv in servers:
        srv.stop(grace=0.1)

"""The dchain CLI against a live server and a persisted record; TLS."""
import json
import shutil
import subprocess

import pytest

from dchain.control import cli
from dchain.control.client import ControlClient
from dchain.control.v1 import control_pb2 as pb


def _report(srv, rank, iteration, **kw):
    with ControlClient(srv.address, token=srv.token) as c:
        c.report(pb.ReportRequest(job_id='job-1', rank=rank, world_size=2, host='h',
                                  pid=10 + rank, iteration=iteration, **kw))


def test_status_workers_stop_and_snapshot(make_server, capsys, monkeypatch, tmp_path):
    srv = make_server(token='tok')
    token_file = tmp_path / 'token'
    token_file.write_text('tok\n')
    _report(srv, 0, 4, observations={'main/loss': 0.25}, mean_step_time=0.01,
            stop_length=8, stop_unit='iteration')
    _report(srv, 1, 4, mean_step_time=0.05)
    base = ['--address', srv.address, '--token-file', str(token_file)]
    assert cli.main(['status'] + base) == 0
    out = capsys.readouterr().out
    assert 'RUNNING' in out and 'main/loss 0.25' in out and '50.0%' in out
    assert 'STRAGGLER' in out   # rank 1 is 5x slower than rank 0
    assert cli.main(['status', '--json'] + base) == 0
    assert json.loads(capsys.readouterr().out)['state'] == 'RUNNING'
    assert cli.main(['workers'] + base) == 0
    assert capsys.readouterr().out.count('\n') >= 3
    assert cli.main(['snapshot'] + base) == 0
    assert 'snapshot requested' in capsys.readouterr().out
    # Without the token the server refuses, and the CLI says so without a traceback.
    monkeypatch.delenv('DCHAIN_CONTROL_TOKEN', raising=False)
    assert cli.main(['stop', '--address', srv.address]) == 1
    assert 'UNAUTHENTICATED' in capsys.readouterr().err
    assert srv.record.state == pb.RUNNING
    assert cli.main(['stop'] + base) == 0
    assert srv.record.state == pb.STOPPING


def test_status_answers_from_the_record_after_the_server_is_gone(make_server, capsys):
    srv = make_server()
    _report(srv, 0, 6)
    srv.record.finish(0)
    srv.stop(grace=0.1)
    assert cli.main(['status', '--job', 'job-1', '--timeout', '1']) == 0
    out = capsys.readouterr().out
    assert 'SUCCEEDED' in out and 'job record' in out
    assert cli.main(['jobs']) == 0
    assert 'job-1' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(['status', '--job', 'unknown-job'])


@pytest.mark.skipif(shutil.which('openssl') is None, reason='needs openssl')
def test_tls(make_server, tmp_path):
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,'
                    'IP:127.0.0.1', '-keyout', str(key), '-out', str(cert)],
                   check=True, capture_output=True)
    srv = make_server(token='tok', tls_cert=str(cert), tls_key=str(key))
    with ControlClient(srv.address, token='tok', tls_ca=str(cert)) as c:
        assert c.get_job().job_id == 'job-1'
    import grpc
    with ControlClient(srv.address, token='tok') as c:   # plaintext to a TLS server
        with pytest.raises(grpc.RpcError):
            c.get_job(timeout=2)

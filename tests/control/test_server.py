"""JobService end to end in one process: reports in, job state out, errors and auth."""
import json
import os
import time

import grpc
import pytest

from dchain.control import _record
from dchain.control.client import ControlClient
from dchain.control.v1 import control_pb2 as pb


def _report(client, rank, iteration, **kw):
    req = pb.ReportRequest(job_id='job-1', rank=rank, world_size=2, host='h', pid=100 + rank,
                           iteration=iteration, **kw)
    return client.report(req)


def test_get_job_follows_reports(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        job = c.get_job()
        assert job.state == pb.PENDING and job.job_id == 'job-1' and job.world_size == 2
        assert [w.rank for w in job.workers] == [0, 1]
        _report(c, 0, 5, observations={'main/loss': 0.5}, mean_step_time=0.01,
                samples_per_second=100.0, stop_length=100, stop_unit='iteration')
        _report(c, 1, 5, mean_step_time=0.01, samples_per_second=120.0)
        job = c.get_job('job-1')
        assert job.state == pb.RUNNING and job.iteration == 5
        assert job.observations['main/loss'] == pytest.approx(0.5)
        assert job.throughput == pytest.approx(220.0)
        assert job.has_eta and job.eta_seconds == pytest.approx(95 * 0.01)
        assert job.progress == pytest.approx(0.05)
        assert {w.rank: w.pid for w in job.workers} == {0: 100, 1: 101}
        assert all(w.state == pb.WORKER_RUNNING and not w.straggler for w in job.workers)
        assert len(c.list_workers()) == 2


def test_health_and_reflection(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        assert c.health() == 'SERVING'
        assert c.health('dchain.control.v1.JobService') == 'SERVING'
        from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
        stub = reflection_pb2_grpc.ServerReflectionStub(c.channel)
        responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
            list_services='')]), timeout=5)
        names = [s.name for r in responses for s in r.list_services_response.service]
        assert 'dchain.control.v1.JobService' in names


def test_stop_command_reaches_workers_and_job_ends_stopped(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        _report(c, 0, 1)
        response = c.stop_job()
        assert response.job.state == pb.STOPPING and response.command.kind == pb.COMMAND_STOP
        assert _report(c, 0, 2).command.id == response.command.id
        for rank in (0, 1):
            _report(c, rank, 3, kind=pb.REPORT_FINISHED, stopped=True,
                    acked_command_id=response.command.id)
        job = c.get_job()
        assert job.state == pb.STOPPED and job.end_time >= job.start_time


def test_snapshot_command_is_cleared_once_acked(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        _report(c, 0, 1)
        cmd = c.request_snapshot().command
        assert cmd.kind == pb.COMMAND_SNAPSHOT
        _report(c, 0, 2, kind=pb.REPORT_SNAPSHOT_TAKEN, acked_command_id=cmd.id,
                snapshot_path='/x/snap')
        job = c.get_job()
        assert job.pending_command.id == 0 and job.last_snapshot == '/x/snap'
        assert job.state == pb.RUNNING


def test_exit_with_signal_fails_the_job_naming_the_rank(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        _report(c, 0, 1)
        _report(c, 1, 1, kind=pb.REPORT_EXITED, signal=9, exit_code=137,
                traceback=['Traceback', 'boom'])
        job = c.get_job()
        assert job.state == pb.FAILED and job.failure.rank == 1
        assert job.failure.signal == 9 and job.failure.signal_name == 'SIGKILL'
        assert list(job.failure.traceback) == ['Traceback', 'boom']
        assert job.exit_code == 137
        # Later exits (the launcher killing the rest) do not rewrite the failure.
        _report(c, 0, 1, kind=pb.REPORT_EXITED, signal=15)
        assert c.get_job().failure.rank == 1


def test_silent_rank_and_straggler_are_flagged(make_server):
    srv = make_server(heartbeat_timeout=1.0)
    with ControlClient(srv.address) as c:
        _report(c, 0, 1, mean_step_time=0.01)
        _report(c, 1, 1, mean_step_time=0.05)
        job = c.get_job()
        workers = {w.rank: w for w in job.workers}
        assert workers[1].straggler and not workers[1].silent and not workers[0].straggler
        time.sleep(1.2)
        _report(c, 0, 2, mean_step_time=0.01)
        workers = {w.rank: w for w in c.get_job().workers}
        assert workers[1].silent and workers[1].straggler
        assert workers[1].state == pb.WORKER_SILENT and not workers[0].silent


def test_watch_job_streams_updates_until_the_end(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        stream = c.watch_job(min_interval=0.05, timeout=20)
        first = next(stream)
        _report(c, 0, 7)
        seen = [first]
        for job in stream:
            seen.append(job)
            if job.iteration == 7 and job.state == pb.RUNNING:
                srv.record.finish(0)
        assert seen[-1].state == pb.SUCCEEDED
        assert [j.version for j in seen] == sorted(j.version for j in seen)


def test_record_is_persisted_atomically_and_readable_after_stop(make_server, dchain_home,
                                                                tmp_path):
    srv = make_server()
    with ControlClient(srv.address) as c:
        _report(c, 0, 3, observations={'main/loss': 1.25})
    srv.record.finish(0)
    srv.stop(grace=0.1)
    index = dchain_home / 'jobs' / 'job-1.json'
    local = tmp_path / 'out' / 'dchain_job.json'
    for path in (index, local):
        data = json.loads(path.read_text())
        assert data['state'] == 'SUCCEEDED' and data['iteration'] == '3'
    assert not [n for n in os.listdir(index.parent) if n.startswith('.')]
    job = _record.load_record('job-1')
    assert job.state == pb.SUCCEEDED and job.observations['main/loss'] == 1.25
    assert [j.job_id for j in _record.list_records()] == ['job-1']


def test_bad_input_gives_status_codes_and_the_server_keeps_serving(make_server):
    srv = make_server()
    with ControlClient(srv.address) as c:
        with pytest.raises(grpc.RpcError) as e:
            c.get_job('no-such-job')
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.RpcError) as e:
            c.get_job('bad id!')
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.RpcError) as e:
            _report(c, 5, 1)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        raw = c.channel.unary_unary('/dchain.control.v1.JobService/GetJob')
        with pytest.raises(grpc.RpcError) as e:
            raw(b'\x0a\xff\x01garbage', timeout=5)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.RpcError) as e:
            raw(b'\x0a' + b'\x80\x80\x80\x03' + b'x' * (6 << 20), timeout=10)
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        with pytest.raises(grpc.RpcError) as e:
            stream = c.watch_job('no-such-job', timeout=5)
            next(stream)
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
        assert c.get_job().job_id == 'job-1'


def test_token_is_required_and_checked(make_server):
    srv = make_server(token='s3cret')
    for token in (None, 'wrong', 's3cre'):
        with ControlClient(srv.address, token=token or '') as c:
            for call in (c.get_job, c.stop_job, c.request_snapshot, c.list_workers):
                with pytest.raises(grpc.RpcError) as e:
                    call()
                assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
                assert 'job-1' not in (e.value.details() or '')
            with pytest.raises(grpc.RpcError) as e:
                next(c.watch_job())
            assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert c.health() == 'SERVING'
    with ControlClient(srv.address, token='s3cret') as c:
        assert c.get_job().job_id == 'job-1'
        assert srv.record.state == pb.PENDING


def test_refuses_to_listen_beyond_loopback_without_token(tmp_path):
    from dchain.control import server as server_module
    record = _record.JobRecord('job-2', persist=False)
    with pytest.raises(ValueError, match='token'):
        server_module.ControlServer(record, address='0.0.0.0:0')
    srv = server_module.ControlServer(record, address='0.0.0.0:0', token='t').start()
    try:
        with ControlClient('127.0.0.1:' + srv.address.rsplit(':', 1)[1], token='t') as c:
            assert c.get_job().job_id == 'job-2'
    finally:
        srv.stop(grace=0.1)

"""The ``dchain`` command: status, watch, stop and snapshot a job; list jobs and workers.

    dchain status [--job ID] [--address HOST:PORT] [--json] [--watch]
    dchain stop [--job ID] | dchain snapshot [--job ID] | dchain workers | dchain jobs

Without ``--address`` the job is found through ``--job`` (the persisted record names its
control plane), ``$DCHAIN_CONTROL_ADDR``, or the newest running job in ``$DCHAIN_HOME/jobs``.
When the control plane is gone, ``status`` answers from the persisted record.
"""
import argparse
import datetime
import json
import os
import sys
import time

from dchain.control import _common
from dchain.control import _record


def _fmt_duration(seconds):
    seconds = int(max(0, seconds))
    return str(datetime.timedelta(seconds=seconds))


def _fmt_time(t):
    return datetime.datetime.fromtimestamp(t).strftime('%Y-%m-%d %H:%M:%S') if t else '-'


def _color(text, code, enable):
    return '\033[{}m{}\033[0m'.format(code, text) if enable else text


def format_job(job, color=False, source=''):
    from dchain.control.v1 import control_pb2 as pb
    state = pb.JobState.Name(job.state)
    state_color = {'FAILED': '31', 'RUNNING': '32', 'SUCCEEDED': '32', 'STOPPING': '33',
                   'STOPPED': '33'}.get(state, '0')
    lines = ['Job      {}{}  {}'.format(job.job_id, '  ({})'.format(job.name)
                                        if job.name and job.name != job.job_id else '',
                                        _color(state, '1;' + state_color, color))]
    end = job.end_time or time.time()
    lines.append('Started  {}   elapsed {}{}'.format(
        _fmt_time(job.start_time), _fmt_duration(end - job.start_time),
        '   ended ' + _fmt_time(job.end_time) if job.end_time else ''))
    if job.stop_length:
        frac = job.progress
        bar = '#' * int(round(frac * 30))
        eta = '   ETA {}'.format(_fmt_duration(job.eta_seconds)) if job.has_eta else ''
        lines.append('Progress [{:<30}] {:5.1f}%  {} {}/{}{}'.format(
            bar, 100 * frac, job.stop_unit, job.iteration if job.stop_unit != 'epoch'
            else '{:.2f}'.format(job.epoch_detail), job.stop_length, eta))
    lines.append('Iter     {}   epoch {} ({:.2f})   throughput {:.1f} samples/s   world size {}'
                 .format(job.iteration, job.epoch, job.epoch_detail, job.throughput,
                         job.world_size))
    if job.observations:
        lines.append('Metrics  ' + '   '.join('{} {:.4g}'.format(k, v) for k, v in
                                               sorted(job.observations.items())))
    if job.last_snapshot:
        lines.append('Snapshot ' + job.last_snapshot)
    if job.state == pb.FAILED:
        f = job.failure
        lines.append(_color('Failure  ' + (f.message or 'rank {}'.format(f.rank)), '31', color))
        for line in list(f.traceback)[-8:]:
            lines.append('         ' + line)
    if job.workers:
        lines.append('')
        lines.append('{:>4}  {:<16} {:>8}  {:<6} {:<9} {:>8} {:>9} {:>9}  {}'.format(
            'RANK', 'HOST', 'PID', 'DEVICE', 'STATE', 'ITER', 'STEP ms', 'HEARTBEAT', 'FLAGS'))
        now = time.time()
        for w in job.workers:
            beat = '{:.1f}s ago'.format(now - w.last_heartbeat) if w.last_heartbeat else '-'
            flags = ''
            if w.silent:
                flags = 'SILENT'
            elif w.straggler:
                flags = 'STRAGGLER'
            if flags and w.straggler_reason:
                flags += ' (' + w.straggler_reason + ')'
            row = '{:>4}  {:<16} {:>8}  {:<6} {:<9} {:>8} {:>9} {:>9}  {}'.format(
                w.rank, (w.host or '-')[:16], w.pid or '-', w.device or '-',
                pb.WorkerState.Name(w.state).replace('WORKER_', ''), w.iteration,
                '{:.1f}'.format(1000 * w.mean_step_time) if w.mean_step_time else '-',
                beat, flags)
            lines.append(_color(row, '33', color) if flags else row)
    if source:
        lines.append('')
        lines.append(source)
    return '\n'.join(lines)


def _job_json(job):
    return json.dumps(_record.job_to_dict(job), indent=1, sort_keys=True)


class _Target:
    def __init__(self, address, job_id, record):
        self.address, self.job_id, self.record = address, job_id, record


def _resolve(args):
    if args.address:
        return _Target(args.address, args.job or '', None)
    if args.job:
        record = _record.load_record(args.job)
        if record is None:
            env_addr = os.environ.get(_common.ENV_ADDR)
            if env_addr:
                return _Target(env_addr, args.job, None)
            raise SystemExit('dchain: no job {!r} in {}'.format(args.job,
                                                                _common.jobs_index_dir()))
        return _Target(record.address, args.job, record)
    env_addr = os.environ.get(_common.ENV_ADDR)
    if env_addr:
        return _Target(env_addr, os.environ.get(_common.ENV_JOB_ID, ''), None)
    records = _record.list_records()
    live = [r for r in records if r.state not in _record.TERMINAL and r.address]
    chosen = live[0] if live else (records[0] if records else None)
    if chosen is None:
        raise SystemExit('dchain: no job found: pass --address or --job, or set {}'.format(
            _common.ENV_ADDR))
    return _Target(chosen.address, chosen.job_id, chosen)


def _client(args, address):
    from dchain.control.client import ControlClient
    token = _common.read_token(args.token_file)
    return ControlClient(address, token=token, timeout=args.timeout,
                         tls_ca=args.tls_ca or os.environ.get('DCHAIN_CONTROL_TLS_CA'))


def _rpc_error(e):
    code = e.code() if hasattr(e, 'code') else None
    name = code.name if code is not None else 'ERROR'
    return 'dchain: the control plane answered {}: {}'.format(name, e.details()
                                                               if hasattr(e, 'details') else e)


def _unreachable(e):
    import grpc
    return getattr(e, 'code', lambda: None)() in (grpc.StatusCode.UNAVAILABLE,
                                                 grpc.StatusCode.DEADLINE_EXCEEDED)


def cmd_status(args):
    import grpc
    target = _resolve(args)
    color = sys.stdout.isatty() and not args.json
    if not target.address:
        job = target.record
        print(_job_json(job) if args.json else format_job(job, color, '(from the job record)'))
        return 0
    client = _client(args, target.address)
    try:
        if args.watch:
            for job in client.watch_job(target.job_id, min_interval=args.interval):
                if args.json:
                    print(json.dumps(_record.job_to_dict(job), sort_keys=True), flush=True)
                else:
                    if color:
                        sys.stdout.write('\033[H\033[2J')
                    print(format_job(job, color), flush=True)
                    if not color:
                        print('-' * 78, flush=True)
            return 0
        job = client.get_job(target.job_id)
    except grpc.RpcError as e:
        if _unreachable(e) and target.record is not None:
            job = _record.load_record(target.job_id) or target.record
            print(_job_json(job) if args.json else format_job(
                job, color, '(from the job record; its control plane is not reachable)'))
            return 0
        print(_rpc_error(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        client.close()
    print(_job_json(job) if args.json else format_job(job, color))
    return 0


def _mutate(args, what):
    import grpc
    target = _resolve(args)
    if not target.address:
        print('dchain: job {} has no control plane address'.format(target.job_id),
              file=sys.stderr)
        return 1
    with _client(args, target.address) as client:
        try:
            if what == 'stop':
                response = client.stop_job(target.job_id, reason=args.reason or '')
            else:
                response = client.request_snapshot(target.job_id)
        except grpc.RpcError as e:
            print(_rpc_error(e), file=sys.stderr)
            return 1
    from dchain.control.v1 import control_pb2 as pb
    if response.command.id == 0:
        print('job {} has already ended ({})'.format(response.job.job_id,
                                                     pb.JobState.Name(response.job.state)))
        return 1
    print('{} requested for job {} (command {}); it happens at the next iteration boundary'
          .format('stop' if what == 'stop' else 'snapshot', response.job.job_id,
                  response.command.id))
    return 0


def cmd_stop(args):
    return _mutate(args, 'stop')


def cmd_snapshot(args):
    return _mutate(args, 'snapshot')


def cmd_workers(args):
    import grpc
    target = _resolve(args)
    with _client(args, target.address) as client:
        try:
            job = client.get_job(target.job_id)
        except grpc.RpcError as e:
            if _unreachable(e) and target.record is not None:
                job = target.record
            else:
                print(_rpc_error(e), file=sys.stderr)
                return 1
    if args.json:
        print(json.dumps([_record.job_to_dict(job)['workers']], indent=1))
    else:
        text = format_job(job, sys.stdout.isatty())
        print(text[text.index('RANK') - 0:] if 'RANK' in text else '(no workers)')
    return 0


def cmd_jobs(args):
    from dchain.control.v1 import control_pb2 as pb
    records = _record.list_records()
    if args.json:
        print(json.dumps([_record.job_to_dict(j) for j in records], indent=1, sort_keys=True))
        return 0
    if not records:
        print('no jobs in {}'.format(_common.jobs_index_dir()))
        return 0
    print('{:<44} {:<10} {:>6} {:>9}  {:<19}  {}'.format('JOB', 'STATE', 'RANKS', 'ITER',
                                                       'STARTED', 'NAME'))
    for j in records:
        print('{:<44} {:<10} {:>6} {:>9}  {:<19}  {}'.format(
            j.job_id, pb.JobState.Name(j.state), j.world_size, j.iteration,
            _fmt_time(j.start_time), j.name))
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog='dchain', description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True)

    def common(p):
        p.add_argument('--job', help='job id (see dchain jobs)')
        p.add_argument('--address', help='control plane HOST:PORT')
        p.add_argument('--token-file', help='bearer token file (or ${})'.format(
            _common.ENV_TOKEN))
        p.add_argument('--tls-ca', help='CA certificate to speak TLS with')
        p.add_argument('--timeout', type=float, default=5.0, help='seconds per call')
        p.add_argument('--json', action='store_true', help='machine-readable output')
        return p
    p = common(sub.add_parser('status', help='show a job'))
    p.add_argument('--watch', action='store_true', help='follow updates until the job ends')
    p.add_argument('--interval', type=float, default=1.0, help='seconds between updates')
    p.set_defaults(func=cmd_status)
    p = common(sub.add_parser('stop', help='snapshot at the next iteration, then stop'))
    p.add_argument('--reason', default='')
    p.set_defaults(func=cmd_stop)
    common(sub.add_parser('snapshot', help='snapshot at the next iteration')).set_defaults(
        func=cmd_snapshot)
    common(sub.add_parser('workers', help='per-rank table')).set_defaults(func=cmd_workers)
    p = sub.add_parser('jobs', help='jobs with a persisted record, newest first')
    p.add_argument('--json', action='store_true')
    p.set_defaults(func=cmd_jobs)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (OSError, ValueError) as e:
        print('dchain: {}'.format(e), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())

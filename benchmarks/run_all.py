#!/usr/bin/env python
"""Run every benchmark in benchmarks/ and write their figures as one Markdown table.

    python benchmarks/run_all.py                 # everything, default repeats (several minutes)
    python benchmarks/run_all.py --quick         # fewer repeats, the slowest one skipped
    python benchmarks/run_all.py --only mlp_step --only allreduce
    python benchmarks/run_all.py --list

Each benchmark runs as its own process, the MPI ones under ``mpiexec -n 2`` with one BLAS
thread per rank, as their docstrings say. Their printed output is parsed into rows of
figure, floor (measured in the same run), ratio and peer (PyTorch, where installed), and
``benchmarks/RESULTS.md`` is rewritten atomically. With ``--only`` the rows of the other
benchmarks already in the file are kept. A benchmark that fails or prints something
unexpected gets a row saying so, and the exit status is 1.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, 'RESULTS.md')
COLUMNS = ('Benchmark', 'Figure', 'Floor', 'Ratio', 'Peer')
_NUM = r'(-?\d+(?:\.\d+)?)'


class ParseError(ValueError):
    """The benchmark's output does not have the lines its parser expects."""


def _find(pattern, text, what):
    match = re.search(pattern, text, re.M)
    if match is None:
        raise ParseError('no {} line (pattern {!r})'.format(what, pattern))
    return match


def _row(name, figure, floor, ratio, peer='-'):
    return {'Benchmark': name, 'Figure': figure, 'Floor': floor, 'Ratio': ratio, 'Peer': peer}


# -- parsers: printed output -> rows ------------------------------------------------------
def parse_autograd_overhead(out):
    title = _find(r'^autograd overhead: (.*)$', out, 'title').group(1)
    mine = _find(r'^\s*dchain\s+' + _NUM + r' us/op', out, 'dchain').group(1)
    floor = _find(r'^\s*raw numpy\s+' + _NUM + r' us/op', out, 'floor').group(1)
    over = _find(r'^\s*overhead\s+' + _NUM + r' us/op\s+ratio ' + _NUM + 'x', out, 'ratio')
    type_check = re.search(r'type_check=(\w+)', title)
    note = ' (type_check={})'.format(type_check.group(1)) if type_check else ''
    return [_row('autograd_overhead', '{} us/op{}'.format(mine, note),
                 '{} us/op (raw numpy)'.format(floor),
                 '{}x (+{} us/op)'.format(over.group(2), over.group(1)))]


def parse_mlp_step(out):
    floor = _find(r'^\s*GEMM floor \(raw numpy\)\s+' + _NUM + ' ms', out, 'floor').group(1)
    mine = _find(r'^\s*dchain step\s+' + _NUM + r' ms\s+ratio to floor ' + _NUM + 'x', out,
                 'dchain step')
    torch = re.search(r'^\s*PyTorch eager step\s+' + _NUM + r' ms\s+dchain / PyTorch ' + _NUM +
                      'x', out, re.M)
    peer = ('PyTorch {} ms (dchain/PyTorch {}x)'.format(torch.group(1), torch.group(2))
            if torch else 'PyTorch not installed')
    return [_row('mlp_step', '{} ms/step'.format(mine.group(1)),
                 '{} ms (GEMMs in numpy)'.format(floor), '{}x'.format(mine.group(2)), peer)]


def parse_convnet_step(out):
    mine = _find(r'^\s*dchain step\s+' + _NUM + r'\s+' + _NUM + ' ms', out, 'dchain step')
    floor = _find(r'^\s*GEMM floor\s+' + _NUM + r'\s+' + _NUM + ' ms', out, 'floor')
    ratio = _find(r'^\s*ratio\s+' + _NUM + r'\s+' + _NUM + ' x', out, 'ratio')
    torch = re.search(r'^\s*torch step\s+' + _NUM + r' ms\s+dchain/torch ' + _NUM + 'x',
                      out, re.M)
    if torch:
        peer = 'PyTorch {} ms (dchain/PyTorch {}x)'.format(torch.group(1), torch.group(2))
    elif re.search(r'^\s*torch\s+not installed', out, re.M):
        peer = 'PyTorch not installed'
    else:
        raise ParseError('no torch line')
    return [_row('convnet_step', '{} ms/step (best {})'.format(mine.group(1), mine.group(2)),
                 '{} ms (GEMMs in numpy; best {})'.format(floor.group(1), floor.group(2)),
                 '{}x (best {}x)'.format(ratio.group(1), ratio.group(2)), peer)]


def parse_input_pipeline(out):
    pipe = _find(r'^input pipeline .*:\s+' + _NUM + ' ms', out, 'pipeline').group(1)
    step = _find(r'^MLP training step .*:\s+' + _NUM + ' ms', out, 'step').group(1)
    share = _find(r'^pipeline / step: ' + _NUM + r'% \(bar: under ' + _NUM + r'%\) -> (\w+)',
                  out, 'pipeline / step')
    return [_row('input_pipeline', '{} ms/batch'.format(pipe),
                 '{} ms (the MLP step it feeds)'.format(step),
                 '{}% of the step (bar < {}%, {})'.format(*share.groups()))]


def parse_allreduce(out):
    head = _find(r'^gradient allreduce: .*?' + _NUM + r' MB float32, (\d+) ranks', out, 'title')
    floor = _find(r'^\s*raw MPI Allreduce \(floor\)\s+' + _NUM + ' ms', out, 'floor').group(1)
    rows = []
    for match in re.finditer(r'^\s*dchain (\w[\w, ]*?)\s+' + _NUM + r' ms\s+ratio ' + _NUM + 'x',
                             out, re.M):
        name, ms, ratio = match.groups()
        rows.append(_row('allreduce ({})'.format(name),
                         '{} ms ({} MB, {} ranks)'.format(ms, head.group(1), head.group(2)),
                         '{} ms (one MPI Allreduce)'.format(floor), '{}x'.format(ratio)))
    if not rows:
        raise ParseError('no "dchain <communicator>" lines')
    return rows


def parse_weak_scaling(out):
    head = _find(r'^weak scaling: .*, (\w+) communicator, overlap (\w+)', out, 'title')
    one = _find(r'^\s*1 rank\s+' + _NUM + ' samples/s', out, '1 rank').group(1)
    many = _find(r'^\s*(\d+) ranks\s+' + _NUM + ' samples/s', out, 'N ranks')
    eff = _find(r'^\s*efficiency\s+' + _NUM + '%', out, 'efficiency').group(1)
    n = int(many.group(1))
    return [_row('weak_scaling', '{} samples/s at {} ranks ({}, overlap {})'.format(
        many.group(2), n, head.group(1), head.group(2)),
        '{:.1f} samples/s ({} x 1 rank)'.format(n * float(one), n),
        '{}% efficiency'.format(eff))]


def parse_resnet50_forward(out):
    floor = _find(r'^\s*GEMM floor \(forward\)\s+' + _NUM + r' s\s+\(' + _NUM + ' G mult-add/s',
                  out, 'floor')
    rows = []
    for label, key in (('inference forward', 'inference'), ('training forward', 'training'),
                       ('backward', 'backward')):
        match = _find(r'^\s*' + label + r'\s+' + _NUM + r' s\s+\(' + _NUM + 'x', out, label)
        rows.append(_row('resnet50_forward ({})'.format(key), '{} s'.format(match.group(1)),
                         '{} s (its multiply-adds as one GEMM, {} G/s){}'.format(
                             floor.group(1), floor.group(2),
                             ' x 2' if key == 'backward' else ''),
                         '{}x'.format(match.group(2))))
    return rows


def parse_generic(out):
    """Output of a script without a parser of its own: its ratios, if it prints any."""
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    if not lines:
        raise ParseError('no output')
    ratios = re.findall(r'\b' + _NUM + r'\s*x\b', out)
    return [_row(None, lines[0][:120], '-', ', '.join(r + 'x' for r in ratios) or '-')]


def parse_control_plane_load(out):
    head = _find(r'^control plane load: (\d+) watchers \+ ' + _NUM + r' GetJob/s for ' + _NUM +
                 r' s against a (\d+)-rank job', out, 'title')
    lat = _find(r'^GetJob calls (\d+)\s+errors (\d+)\s+latency ms: p50 ' + _NUM + r'\s+p90 ' +
                _NUM + r'\s+p99 ' + _NUM + r'.*?\(bar p99 < ' + _NUM + r'\)', out, 'latency')
    drop = _find(r'^throughput drop with load: mean ' + _NUM + r' %.*\(bar < ' + _NUM +
                 r' %\)', out, 'throughput drop')
    cpu = re.search(r'CPU: quiet ' + _NUM + r' %\s+with load ' + _NUM + ' %', out)
    calls, errors, p50, _, p99, bar = lat.groups()
    figure = 'GetJob p99 {} ms (p50 {}; {} calls, {} errors)'.format(p99, p50, calls, errors)
    load = '{} watchers + {} GetJob/s, {} s, {} ranks'.format(*head.groups())
    ratio = 'training throughput drop {} % (bar < {} %)'.format(*drop.groups())
    if cpu:
        ratio += '; server CPU {} % of a core under load'.format(cpu.group(2))
    return [_row('control_plane_load', figure, 'bar p99 < {} ms ({})'.format(bar, load), ratio)]


# -- the benchmarks -------------------------------------------------------------------------
class Benchmark:
    """One script: how to run it (normal and quick) and how to read what it prints."""

    def __init__(self, name, args, quick_args, parse, mpi_ranks=0, slow=False, optional=False):
        self.name, self.args, self.quick_args, self.parse = name, args, quick_args, parse
        self.mpi_ranks, self.slow, self.optional = mpi_ranks, slow, optional

    @property
    def script(self):
        return self.name + '.py'

    def command(self, bench_dir, quick=False, python=None, mpiexec=None):
        cmd = [python or sys.executable, os.path.join(bench_dir, self.script)]
        cmd += list(self.quick_args if quick else self.args)
        if self.mpi_ranks:
            cmd = [mpiexec or find_mpiexec(), '-n', str(self.mpi_ranks)] + cmd
        return cmd

    def shown_command(self, quick=False):
        cmd = ['python', 'benchmarks/' + self.script]
        cmd += list(self.quick_args if quick else self.args)
        if self.mpi_ranks:
            cmd = ['OMP_NUM_THREADS=1', 'mpiexec', '-n', str(self.mpi_ranks)] + cmd
        return ' '.join(cmd)


BENCHMARKS = [
    Benchmark('autograd_overhead', [], ['--repeat', '30'], parse_autograd_overhead),
    Benchmark('mlp_step', [], ['--repeat', '5'], parse_mlp_step),
    Benchmark('convnet_step', [], ['--repeat', '3'], parse_convnet_step, slow=True),
    Benchmark('input_pipeline', [], ['--repeat', '5'], parse_input_pipeline),
    Benchmark('allreduce', [], ['--repeat', '10'], parse_allreduce, mpi_ranks=2),
    # Launches mpiexec itself, for 1 and 2 ranks.
    Benchmark('weak_scaling', [], ['--steps', '10'], parse_weak_scaling),
    Benchmark('resnet50_forward', [], ['--repeat', '1'], parse_resnet50_forward, slow=True),
    # Launches dchain-launch -n 2 itself; alternates quiet and loaded phases.
    Benchmark('control_plane_load', [], ['--duration', '6', '--phase', '3'],
              parse_control_plane_load, slow=True, optional=True),
]
BY_NAME = {b.name: b for b in BENCHMARKS}


def discover(bench_dir):
    """The registered benchmarks, then any other script in ``bench_dir`` (generic parser)."""
    known = [b for b in BENCHMARKS
             if not b.optional or os.path.exists(os.path.join(bench_dir, b.script))]
    names = {b.name for b in known}
    for entry in sorted(os.listdir(bench_dir)):
        stem, ext = os.path.splitext(entry)
        if ext == '.py' and stem not in names and stem != 'run_all' and \
                not stem.startswith('_'):
            known.append(Benchmark(stem, [], [], parse_generic))
    return known


def find_mpiexec():
    """``mpiexec`` beside the interpreter (the mpich wheel of the mpi extra), else on PATH."""
    candidate = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which('mpiexec') or shutil.which('mpirun')
    if not found:
        raise FileNotFoundError('no mpiexec: pip install "dchain[mpi]"')
    return found


def run_one(bench, bench_dir, quick=False, timeout=1800, env=None):
    """Run one benchmark; returns (rows, seconds). Failures become a row saying what failed."""
    env = dict(os.environ if env is None else env)
    if bench.mpi_ranks or bench.name == 'weak_scaling':
        env.setdefault('OMP_NUM_THREADS', '1')
    # The scripts import dchain from the checkout they belong to.
    root = os.path.dirname(os.path.abspath(bench_dir))
    env['PYTHONPATH'] = os.pathsep.join(p for p in (root, env.get('PYTHONPATH')) if p)
    start = time.perf_counter()
    try:
        cmd = bench.command(bench_dir, quick=quick)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, cwd=root)
    except FileNotFoundError as e:
        return [_failed(bench.name, str(e))], time.perf_counter() - start
    except subprocess.TimeoutExpired:
        return [_failed(bench.name, 'timed out after {} s'.format(timeout))], timeout
    elapsed = time.perf_counter() - start
    try:
        rows = bench.parse(proc.stdout)
    except ParseError as e:
        last = (proc.stderr.strip().splitlines() or ['(no stderr)'])[-1]
        why = 'exit {}: {}'.format(proc.returncode, last) if proc.returncode else str(e)
        return [_failed(bench.name, why)], elapsed
    for row in rows:
        row['Benchmark'] = row['Benchmark'] or bench.name
    # A benchmark that missed its own bar exits non-zero but still printed its figures.
    return rows, elapsed


def _failed(name, why):
    return _row(name, 'FAILED: ' + why.replace('|', '/')[:200], '-', '-', '-')


# -- the table ----------------------------------------------------------------------------
def _cell(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def format_table(rows):
    lines = ['| ' + ' | '.join(COLUMNS) + ' |', '| ' + ' | '.join('---' for _ in COLUMNS) + ' |']
    for row in rows:
        lines.append('| ' + ' | '.join(_cell(row.get(c, '-')) for c in COLUMNS) + ' |')
    return '\n'.join(lines)


def read_rows(path):
    """The rows of a RESULTS.md written by this script (empty when there is none)."""
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return read_rows_from_text(text)


def read_rows_from_text(text):
    rows = []
    for line in text.splitlines():
        if not line.startswith('| ') or line.startswith('| Benchmark |') or \
                line.startswith('| ---'):
            continue
        cells = [c.strip().replace('\\|', '|')
                 for c in re.split(r'(?<!\\)\|', line.strip())[1:-1]]
        if len(cells) == len(COLUMNS):
            rows.append(dict(zip(COLUMNS, cells)))
    return rows


def _row_order(row):
    # Registered benchmarks in their order, then the others by name; a benchmark's own rows
    # keep the order it printed them in (the sort is stable).
    base = row['Benchmark'].split(' ')[0]
    names = [b.name for b in BENCHMARKS]
    return (names.index(base), '') if base in names else (len(names), base)


def machine_line():
    try:
        import numpy
        numpy_version = numpy.__version__
    except ImportError:  # pragma: no cover
        numpy_version = 'not installed'
    try:
        load = ', load average {:.1f} at the start'.format(os.getloadavg()[0])
    except (AttributeError, OSError):  # pragma: no cover - not on every platform
        load = ''
    # The load says how far to trust absolute times: other work on the machine inflates them.
    return '{} {}, {} CPU(s), Python {}, numpy {}{}'.format(
        platform.system(), platform.machine(), os.cpu_count(), platform.python_version(),
        numpy_version, load)


def render(rows, commands, quick=False, machine=None):
    rows = sorted(rows, key=_row_order)
    when = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    out = ['# Benchmark results', '',
           'Written by `python benchmarks/run_all.py{}` on {} ({}).'.format(
               ' --quick' if quick else '', when, machine or machine_line()), '',
           'Each figure is a median over repeats. The floor is measured in the same run (the '
           'same GEMMs in raw numpy, one raw MPI Allreduce of the same bytes, one rank '
           'alone); ratio = figure / floor, so lower is better except for the weak-scaling '
           'efficiency. Absolute times drift on shared machines; ratios hold better.', '',
           format_table(rows), '', '## Commands', '']
    for name in sorted(commands, key=lambda n: _row_order({'Benchmark': n})):
        out.append('- `{}`: `{}`'.format(name, commands[name]))
    return '\n'.join(out) + '\n'


def atomic_write(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=directory)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', action='append', default=[], metavar='NAME',
                        help='run only this benchmark (repeatable; comma-separated too)')
    parser.add_argument('--quick', action='store_true',
                        help='fewer repeats; skip the slowest benchmarks unless named by --only')
    parser.add_argument('--out', default=DEFAULT_OUT, help='the Markdown file to write')
    parser.add_argument('--bench-dir', default=HERE, help=argparse.SUPPRESS)
    parser.add_argument('--timeout', type=float, default=1800,
                        help='seconds one benchmark may take')
    parser.add_argument('--list', action='store_true', help='list the benchmarks and exit')
    args = parser.parse_args(argv)

    available = {b.name: b for b in discover(args.bench_dir)}
    only = [n for item in args.only for n in item.split(',') if n]
    unknown = [n for n in only if n not in available]
    if unknown:
        parser.error('unknown benchmark(s) {}; choose from {}'.format(
            ', '.join(unknown), ', '.join(available)))
    if args.list:
        for b in available.values():
            print('{:<20} {}{}'.format(b.name, b.shown_command(),
                                       '   (slow: skipped by --quick)' if b.slow else ''))
        return 0
    selected = [available[n] for n in only] if only else [
        b for b in available.values() if not (args.quick and b.slow)]

    rows, commands, failed = [], {}, False
    machine = machine_line()
    for bench in selected:
        if not os.path.exists(os.path.join(args.bench_dir, bench.script)):
            if bench.optional and not only:
                continue
            rows.append(_failed(bench.name, 'benchmarks/{} not found'.format(bench.script)))
            failed = True
            continue
        print('running {} ...'.format(bench.shown_command(args.quick)), file=sys.stderr,
              flush=True)
        bench_rows, seconds = run_one(bench, args.bench_dir, quick=args.quick,
                                      timeout=args.timeout)
        failed |= any(r['Figure'].startswith('FAILED') for r in bench_rows)
        for row in bench_rows:
            print('  {}: {} | floor {} | {} | {}'.format(
                row['Benchmark'], row['Figure'], row['Floor'], row['Ratio'], row['Peer']),
                file=sys.stderr)
        print('  ({:.0f} s)'.format(seconds), file=sys.stderr, flush=True)
        rows += bench_rows
        commands[bench.name] = bench.shown_command(args.quick)

    if only:
        # Keep the rows of the benchmarks that did not run this time.
        ran = {b.name for b in selected}
        kept = [r for r in read_rows(args.out) if r['Benchmark'].split(' ')[0] not in ran]
        rows = kept + rows
        for row in kept:
            name = row['Benchmark'].split(' ')[0]
            if name in BY_NAME:
                commands.setdefault(name, BY_NAME[name].shown_command())
    atomic_write(args.out, render(rows, commands, quick=args.quick, machine=machine))
    print('wrote {}'.format(args.out), file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

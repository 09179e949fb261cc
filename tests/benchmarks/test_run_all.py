"""benchmarks/run_all.py: parsing of every benchmark's printed output, and the table it writes.

The samples in samples/ are real outputs of the scripts (short runs on the 2-core machine).
"""
import importlib.util
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = pathlib.Path(__file__).resolve().parent / 'samples'


def _load():
    spec = importlib.util.spec_from_file_location('run_all', ROOT / 'benchmarks' / 'run_all.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_all = _load()


def sample(name):
    return (SAMPLES / (name + '.txt')).read_text()


def test_every_benchmark_script_is_registered():
    scripts = {p.stem for p in (ROOT / 'benchmarks').glob('*.py')} - {'run_all'}
    assert scripts <= set(run_all.BY_NAME), scripts - set(run_all.BY_NAME)
    for bench in run_all.BENCHMARKS:
        if not bench.optional:
            assert (ROOT / 'benchmarks' / bench.script).is_file(), bench.script


def test_autograd_overhead():
    [row] = run_all.parse_autograd_overhead(sample('autograd_overhead'))
    assert row['Benchmark'] == 'autograd_overhead'
    assert row['Figure'] == '47.52 us/op (type_check=True)'
    assert row['Floor'] == '1.63 us/op (raw numpy)'
    assert row['Ratio'] == '29.14x (+45.89 us/op)'
    assert row['Peer'] == '-'


def test_mlp_step_with_torch():
    [row] = run_all.parse_mlp_step(sample('mlp_step'))
    assert row['Figure'] == '55.18 ms/step'
    assert row['Floor'].startswith('40.08 ms')
    assert row['Ratio'] == '1.38x'
    assert row['Peer'] == 'PyTorch 49.94 ms (dchain/PyTorch 1.11x)'


def test_mlp_step_without_torch():
    text = ''.join(line for line in sample('mlp_step').splitlines(True)
                   if 'PyTorch' not in line)
    [row] = run_all.parse_mlp_step(text)
    assert row['Peer'] == 'PyTorch not installed' and row['Ratio'] == '1.38x'


def test_convnet_step():
    [row] = run_all.parse_convnet_step(sample('convnet_step'))
    assert row['Figure'] == '675.30 ms/step (best 291.09)'
    assert row['Floor'].startswith('469.45 ms')
    assert row['Ratio'] == '1.44x (best 1.01x)'
    assert row['Peer'] == 'PyTorch 787.85 ms (dchain/PyTorch 0.86x)'
    no_torch = sample('convnet_step').replace(
        '  torch step     787.85 ms   dchain/torch 0.86x', '  torch        not installed')
    assert run_all.parse_convnet_step(no_torch)[0]['Peer'] == 'PyTorch not installed'


def test_input_pipeline():
    [row] = run_all.parse_input_pipeline(sample('input_pipeline'))
    assert row['Figure'] == '0.216 ms/batch'
    assert row['Floor'].startswith('472.494 ms')
    assert row['Ratio'] == '0.05% of the step (bar < 5%, OK)'


def test_allreduce_gives_one_row_per_communicator():
    rows = run_all.parse_allreduce(sample('allreduce'))
    assert [r['Benchmark'] for r in rows] == [
        'allreduce (flat, from backward)', 'allreduce (flat, packed)', 'allreduce (naive)']
    assert rows[0]['Figure'] == '0.65 ms (7.2 MB, 2 ranks)'
    assert rows[0]['Floor'].startswith('1.43 ms')
    assert [r['Ratio'] for r in rows] == ['0.46x', '1.16x', '1.79x']


def test_weak_scaling():
    [row] = run_all.parse_weak_scaling(sample('weak_scaling'))
    assert row['Figure'] == '10271.7 samples/s at 2 ranks (flat, overlap on)'
    assert row['Floor'] == '12279.0 samples/s (2 x 1 rank)'
    assert row['Ratio'] == '85.6% efficiency'


def test_resnet50_forward():
    rows = run_all.parse_resnet50_forward(sample('resnet50_forward'))
    assert [r['Benchmark'] for r in rows] == ['resnet50_forward (inference)',
                                              'resnet50_forward (training)',
                                              'resnet50_forward (backward)']
    assert [r['Figure'] for r in rows] == ['0.601 s', '0.771 s', '2.431 s']
    assert [r['Ratio'] for r in rows] == ['3.40x', '4.35x', '6.86x']
    assert rows[0]['Floor'].startswith('0.177 s') and rows[2]['Floor'].endswith(' x 2')


def test_control_plane_load():
    [row] = run_all.parse_control_plane_load(sample('control_plane_load'))
    assert row['Figure'] == 'GetJob p99 8.43 ms (p50 1.09; 600 calls, 0 errors)'
    assert row['Floor'] == 'bar p99 < 20 ms (50 watchers + 100 GetJob/s, 6 s, 2 ranks)'
    assert row['Ratio'] == ('training throughput drop -59.68 % (bar < 3 %); server CPU 7.5 % '
                            'of a core under load')


def test_an_unregistered_script_runs_with_the_generic_parser(tmp_path):
    bench = tmp_path / 'benchmarks'
    bench.mkdir()
    (bench / 'new_thing.py').write_text('print("new thing: 3.0 ms")\nprint("  ratio 1.50x")\n')
    names = [b.name for b in run_all.discover(str(bench))]
    assert names[-1] == 'new_thing' and 'control_plane_load' not in names
    assert 'control_plane_load' in [b.name for b in run_all.discover(str(ROOT / 'benchmarks'))]
    out = tmp_path / 'R.md'
    assert run_all.main(['--only', 'new_thing', '--bench-dir', str(bench),
                         '--out', str(out)]) == 0
    [row] = run_all.read_rows(str(out))
    assert row['Benchmark'] == 'new_thing' and row['Ratio'] == '1.50x'
    assert row['Figure'] == 'new thing: 3.0 ms'


@pytest.mark.parametrize('name', ['autograd_overhead', 'mlp_step', 'convnet_step',
                                  'input_pipeline', 'allreduce', 'weak_scaling',
                                  'resnet50_forward', 'control_plane_load'])
def test_garbage_output_is_a_parse_error(name):
    with pytest.raises(run_all.ParseError):
        run_all.BY_NAME[name].parse('Traceback (most recent call last):\n  boom\n')


def test_table_round_trips_through_the_file(tmp_path):
    rows = (run_all.parse_allreduce(sample('allreduce'))
            + run_all.parse_mlp_step(sample('mlp_step')))
    rows.append(run_all._failed('convnet_step', 'exit 1: a|b'))
    path = tmp_path / 'RESULTS.md'
    run_all.atomic_write(str(path), run_all.render(rows, {'mlp_step': 'python x'}))
    back = run_all.read_rows(str(path))
    assert [r['Benchmark'] for r in back] == [
        'mlp_step', 'convnet_step', 'allreduce (flat, from backward)',
        'allreduce (flat, packed)', 'allreduce (naive)']
    assert back[1]['Figure'] == 'FAILED: exit 1: a/b'
    assert back[0] == rows[3]
    assert [p.name for p in tmp_path.iterdir()] == ['RESULTS.md']


def test_rows_of_one_benchmark_keep_their_printed_order():
    rows = run_all.parse_resnet50_forward(sample('resnet50_forward'))
    rows = rows + run_all.parse_autograd_overhead(sample('autograd_overhead'))
    text = run_all.render(rows, {})
    assert [r['Benchmark'] for r in run_all.read_rows_from_text(text)] == [
        'autograd_overhead', 'resnet50_forward (inference)', 'resnet50_forward (training)',
        'resnet50_forward (backward)']


def _fake_bench_dir(tmp_path, names, fail=()):
    bench = tmp_path / 'benchmarks'
    bench.mkdir()
    for name in names:
        body = 'import sys\nsys.stdout.write({!r})\n'.format(sample(name))
        if name in fail:
            body = 'import sys\nsys.exit("it broke")\n'
        (bench / (name + '.py')).write_text(body)
    return bench


def test_only_runs_one_and_keeps_the_other_rows(tmp_path):
    bench = _fake_bench_dir(tmp_path, ['mlp_step', 'autograd_overhead', 'convnet_step'],
                            fail=('convnet_step',))
    out = tmp_path / 'RESULTS.md'
    common = ['--bench-dir', str(bench), '--out', str(out)]
    assert run_all.main(['--only', 'mlp_step'] + common) == 0
    assert [r['Benchmark'] for r in run_all.read_rows(str(out))] == ['mlp_step']
    assert run_all.main(['--only', 'autograd_overhead,convnet_step'] + common) == 1
    rows = {r['Benchmark']: r for r in run_all.read_rows(str(out))}
    assert set(rows) == {'mlp_step', 'autograd_overhead', 'convnet_step'}
    assert rows['mlp_step']['Ratio'] == '1.38x'
    assert rows['autograd_overhead']['Ratio'].startswith('29.14x')
    assert rows['convnet_step']['Figure'] == 'FAILED: exit 1: it broke'
    text = out.read_text()
    assert text.startswith('# Benchmark results') and '| Benchmark | Figure |' in text


def test_unknown_name_is_rejected(tmp_path, capsys):
    with pytest.raises(SystemExit):
        run_all.main(['--only', 'nope', '--out', str(tmp_path / 'R.md')])
    assert 'nope' in capsys.readouterr().err
    assert not (tmp_path / 'R.md').exists()


def test_mpi_benchmarks_run_under_mpiexec():
    cmd = run_all.BY_NAME['allreduce'].command('/b', quick=True, mpiexec='/x/mpiexec')
    assert cmd[:3] == ['/x/mpiexec', '-n', '2']
    assert cmd[3] == sys.executable and cmd[4] == os.path.join('/b', 'allreduce.py')
    assert cmd[5:] == ['--repeat', '10']
    assert run_all.BY_NAME['mlp_step'].command('/b')[1:] == [os.path.join('/b', 'mlp_step.py')]

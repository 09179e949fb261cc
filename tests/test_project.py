"""Project plumbing: the README's test command is what CI runs; benchmarks run."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def test_ci_runs_the_readme_test_command():
    readme = _read('README.md')
    commands = re.findall(r'^(pip install .*pytest.*)$', readme, re.M)
    assert len(commands) == 1, 'the README must show exactly one test command'
    ci_lines = [line.strip() for line in _read('.ci/run').splitlines()]
    assert commands[0].strip() in ci_lines


def test_autograd_overhead_benchmark_runs():
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'benchmarks', 'autograd_overhead.py'),
         '--repeat', '3'], capture_output=True, text=True, timeout=120, check=True).stdout
    assert re.search(r'dchain\s+[\d.]+ us/op', out)
    assert re.search(r'ratio [\d.]+x', out)

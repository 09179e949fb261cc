"""Regenerate the Python stubs of the control plane protos: ``python -m dchain.control._generate``.

Compiles ``protos/dchain/control/v1/control.proto`` with grpcio-tools into
``dchain/control/v1/`` (or into ``--out DIR``, which the drift test uses).
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_ROOT = os.path.join(ROOT, 'protos')
PROTO = 'dchain/control/v1/control.proto'


def generate(out_dir=ROOT, descriptor_set=None):
    """Run protoc; the stubs land in ``out_dir/dchain/control/v1``. Returns the files written."""
    try:
        from grpc_tools import protoc
        import grpc_tools
    except ImportError:
        raise SystemExit('grpcio-tools is missing: pip install grpcio-tools') from None
    os.makedirs(os.path.join(out_dir, 'dchain', 'control', 'v1'), exist_ok=True)
    include = os.path.join(os.path.dirname(grpc_tools.__file__), '_proto')
    args = ['protoc', '-I', PROTO_ROOT, '-I', include, '--python_out', out_dir,
            '--pyi_out', out_dir, '--grpc_python_out', out_dir]
    if descriptor_set:
        args += ['--descriptor_set_out', descriptor_set]
    args.append(PROTO)
    code = protoc.main(args)
    if code != 0:
        raise RuntimeError('protoc failed with exit code {}'.format(code))
    base = os.path.join(out_dir, 'dchain', 'control', 'v1')
    return [os.path.join(base, name) for name in
            ('control_pb2.py', 'control_pb2.pyi', 'control_pb2_grpc.py')]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=ROOT, help='root directory of the generated package')
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)


if __name__ == '__main__':
    sys.exit(main())

"""The committed stubs must match protos/ (regenerate with protos/generate.sh)."""
import os

import pytest

from dchain.control import _generate
from dchain.control.v1 import control_pb2

pytest.importorskip('grpc_tools')


def _drop_json_names(message):
    for field in message.field:
        field.ClearField('json_name')
    for nested in message.nested_type:
        _drop_json_names(nested)


def test_committed_stubs_match_the_proto(tmp_path):
    descriptor_set = str(tmp_path / 'control.desc')
    written = _generate.generate(str(tmp_path), descriptor_set=descriptor_set)
    from google.protobuf import descriptor_pb2
    fresh = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set, 'rb') as f:
        fresh.ParseFromString(f.read())
    committed = descriptor_pb2.FileDescriptorProto.FromString(
        control_pb2.DESCRIPTOR.serialized_pb)
    new = fresh.file[-1]
    for message in new.message_type:
        _drop_json_names(message)
    for message in committed.message_type:
        _drop_json_names(message)
    assert new == committed, \
        'dchain/control/v1 stubs are stale: run protos/generate.sh'
    # Same generator version: the files must be byte for byte what is committed.
    package = os.path.dirname(control_pb2.__file__)
    for path in written:
        with open(path) as f:
            new = f.read()
        with open(os.path.join(package, os.path.basename(path))) as f:
            old = f.read()
        if 'GRPC_GENERATED_VERSION' in new and new.split('GRPC_GENERATED_VERSION')[1][:20] \
                != old.split('GRPC_GENERATED_VERSION')[1][:20]:
            continue   # another grpcio-tools: the descriptor comparison above decides
        if '# Protobuf Python Version:' in new and new.splitlines()[4] != old.splitlines()[4]:
            continue
        assert new == old, '{} is stale: run protos/generate.sh'.format(path)

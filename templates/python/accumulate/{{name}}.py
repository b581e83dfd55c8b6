# {{name}}: an accumulate operator. Folds the messages of one timestamp (put a delay before it to make windows)
# into {"count", "min", "max", "sum", "average"} of the payload field named by the `field` parameter (default "value").
# Build: `aio build` (componentize-py -w accumulate-impl). Unit tests: `aio operator test {{name}}` (the logic module).
import json
from typing import List

from accumulate_impl import exports
from accumulate_impl import imports
from accumulate_impl.imports import types

from {{name}}_logic import fold, empty_stats

field = "value"


def payload_of(message) -> bytes:
    payload = message.value.payload
    return payload.value.read() if isinstance(payload, types.BufferOrBytes_Buffer) else payload.value


class Accumulate(exports.Accumulate):
    def init(self, configuration) -> bool:
        global field
        for key, value in configuration.properties:
            if key == "field":
                field = value
        imports.logger.log(imports.logger.Level.INFO, "{{name}}", f"accumulating the {field} field")
        return True

    def process(self, staged: types.DataModel, message: List[types.DataModel]) -> types.DataModel:
        if not isinstance(staged, types.DataModel_Message):
            raise ValueError("expected a message")
        text = payload_of(staged)
        stats = json.loads(text) if text else empty_stats()
        imports.metrics.record_to_histogram("{{name}}_batch_size", imports.metrics.HistogramValue_F64(float(len(message))), None)
        for item in message:
            if isinstance(item, types.DataModel_Message):
                fold(stats, payload_of(item), field)
        staged.value.payload = types.BufferOrBytes_Bytes(value=json.dumps(stats).encode("utf-8"))
        return staged

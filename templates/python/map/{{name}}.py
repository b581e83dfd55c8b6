# {{name}}: a map operator. Each message's JSON payload {"value": <number>, ...} comes out with value multiplied by
# the `scale` parameter (from the graph's moduleConfigurations; default 2) and "scaledBy" added.
# Build: `aio build` (componentize-py -w map-impl). Unit tests: `aio operator test {{name}}` (the logic module).
from map_impl import exports
from map_impl import imports
from map_impl.imports import types

from {{name}}_logic import scale_payload

scale = 2.0


class Map(exports.Map):
    def init(self, configuration) -> bool:
        global scale
        for key, value in configuration.properties:
            if key == "scale":
                try:
                    scale = float(value)
                except ValueError:
                    imports.logger.log(imports.logger.Level.ERROR, "{{name}}", f"scale={value!r} is not a number")
                    return False
        imports.logger.log(imports.logger.Level.INFO, "{{name}}", f"scaling values by {scale}")
        return True

    def process(self, message: types.DataModel) -> types.DataModel:
        if not isinstance(message, types.DataModel_Message):
            raise ValueError("expected a message")
        payload = message.value.payload
        data = payload.value.read() if isinstance(payload, types.BufferOrBytes_Buffer) else payload.value
        scaled = scale_payload(data, scale)
        if scaled is not None:
            imports.metrics.add_to_counter("{{name}}_scaled", imports.metrics.CounterValue_U64(1), None)
            message.value.payload = types.BufferOrBytes_Bytes(value=scaled)
        return message

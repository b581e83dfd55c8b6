# {{name}}: a filter operator. Keeps messages whose JSON payload's "value" is at most the `max_value` parameter
# (default 100) and drops the others; messages without a numeric value pass.
# Build: `aio build` (componentize-py -w filter-impl). Unit tests: `aio operator test {{name}}` (the logic module).
from filter_impl import exports
from filter_impl import imports
from filter_impl.imports import types

from {{name}}_logic import keep

max_value = 100.0


class Filter(exports.Filter):
    def init(self, configuration) -> bool:
        global max_value
        for key, value in configuration.properties:
            if key == "max_value":
                try:
                    max_value = float(value)
                except ValueError:
                    imports.logger.log(imports.logger.Level.ERROR, "{{name}}", f"max_value={value!r} is not a number")
                    return False
        imports.logger.log(imports.logger.Level.INFO, "{{name}}", f"keeping values up to {max_value}")
        return True

    def process(self, message: types.DataModel) -> bool:
        if not isinstance(message, types.DataModel_Message):
            raise ValueError("expected a message")
        payload = message.value.payload
        data = payload.value.read() if isinstance(payload, types.BufferOrBytes_Buffer) else payload.value
        kept = keep(data, max_value)
        if not kept:
            imports.metrics.add_to_counter("{{name}}_dropped", imports.metrics.CounterValue_U64(1), None)
        return kept

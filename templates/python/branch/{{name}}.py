# {{name}}: a branch operator. Routes messages whose JSON payload's "value" is above the `threshold` parameter
# (default 50) to the arm "True", everything else to the arm "False".
# Build: `aio build` (componentize-py -w branch-impl). Unit tests: `aio operator test {{name}}` (the logic module).
from branch_impl import exports
from branch_impl import imports
from branch_impl.imports import types

from {{name}}_logic import is_high

threshold = 50.0


class Branch(exports.Branch):
    def init(self, configuration) -> bool:
        global threshold
        for key, value in configuration.properties:
            if key == "threshold":
                try:
                    threshold = float(value)
                except ValueError:
                    imports.logger.log(imports.logger.Level.ERROR, "{{name}}", f"threshold={value!r} is not a number")
                    return False
        imports.logger.log(imports.logger.Level.INFO, "{{name}}", f"routing values above {threshold} to True")
        return True

    def process(self, timestamp, message: types.DataModel) -> bool:
        if not isinstance(message, types.DataModel_Message):
            raise ValueError("expected a message")
        payload = message.value.payload
        data = payload.value.read() if isinstance(payload, types.BufferOrBytes_Buffer) else payload.value
        high = is_high(data, threshold)
        labels = [imports.metrics.Label(key="arm", value="True" if high else "False")]
        imports.metrics.add_to_counter("{{name}}_routed", imports.metrics.CounterValue_U64(1), labels)
        return high

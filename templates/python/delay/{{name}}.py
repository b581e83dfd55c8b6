# {{name}}: a delay operator. Moves each message's timestamp to the end of its tumbling window of
# `window_seconds` (default 10), so an accumulate after it folds one window at a time.
# Build: `aio build` (componentize-py -w delay-impl). Unit tests: `aio operator test {{name}}` (the logic module).
from delay_impl import exports
from delay_impl import imports
from delay_impl.imports import hybrid_logical_clock, types

from {{name}}_logic import window_end

window_seconds = 10


class Delay(exports.Delay):
    def init(self, configuration) -> bool:
        global window_seconds
        for key, value in configuration.properties:
            if key == "window_seconds":
                if not value.isdigit() or int(value) < 1:
                    imports.logger.log(imports.logger.Level.ERROR, "{{name}}", f"window_seconds={value!r} is not a whole number >= 1")
                    return False
                window_seconds = int(value)
        imports.logger.log(imports.logger.Level.INFO, "{{name}}", f"windows of {window_seconds} s")
        return True

    def process(self, data: types.DataModel, timestamp: hybrid_logical_clock.HybridLogicalClock) -> hybrid_logical_clock.HybridLogicalClock:
        imports.metrics.add_to_counter("{{name}}_delayed", imports.metrics.CounterValue_U64(1), None)
        end = window_end(timestamp.timestamp.secs, window_seconds)
        return hybrid_logical_clock.HybridLogicalClock(timestamp=hybrid_logical_clock.Timespec(secs=end, nanos=0), counter=0, node_id="{{name}}")

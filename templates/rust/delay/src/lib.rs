// {{name}}: a delay operator. Moves each message's timestamp to the end of its tumbling window of
// `window_seconds` (default 10), so an accumulate after it folds one window at a time.
// Build: `aio build` (cargo build --target wasm32-wasip2 --release). Unit tests: `aio operator test {{name}}`.
#![allow(clippy::missing_safety_doc)]

/// The end of the window holding `secs`.
pub fn window_end(secs: u64, window_seconds: u64) -> u64 {
    (secs / window_seconds + 1) * window_seconds
}

mod operator {
    use std::sync::OnceLock;

    use wasm_graph_sdk::logger::{self, Level};
    use wasm_graph_sdk::macros::delay_operator;
    use wasm_graph_sdk::metrics::{self, CounterValue};

    static WINDOW_SECONDS: OnceLock<u64> = OnceLock::new();

    fn {{name}}_init(configuration: ModuleConfiguration) -> bool {
        let seconds = configuration
            .properties
            .iter()
            .find(|(key, _)| key == "window_seconds")
            .map_or(Ok(10), |(_, value)| value.parse::<u64>());
        match seconds {
            Ok(seconds) if seconds > 0 => {
                logger::log(Level::Info, "{{name}}", &format!("windows of {seconds} s"));
                WINDOW_SECONDS.set(seconds).is_ok()
            }
            _ => {
                logger::log(Level::Error, "{{name}}", "window_seconds must be a whole number of seconds >= 1");
                false
            }
        }
    }

    #[delay_operator(init = "{{name}}_init")]
    fn {{name}}(_input: DataModel, timestamp: HybridLogicalClock) -> Result<HybridLogicalClock, Error> {
        let _ = metrics::add_to_counter("{{name}}_delayed", CounterValue::U64(1), None);
        let end = crate::window_end(timestamp.timestamp.secs, *WINDOW_SECONDS.get().unwrap_or(&10));
        Ok(HybridLogicalClock { timestamp: TimeSpec { secs: end, nanos: 0 }, counter: 0, node_id: "{{name}}".to_owned() })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn moves_to_the_end_of_the_window() {
        assert_eq!(super::window_end(1_700_000_003, 10), 1_700_000_010);
        assert_eq!(super::window_end(1_700_000_010, 10), 1_700_000_020);
    }
}

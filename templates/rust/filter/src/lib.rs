// {{name}}: a filter operator. Keeps messages whose JSON payload's "value" is at most the `max_value` parameter
// (default 100) and drops the others; messages without a numeric value pass.
// Build: `aio build` (cargo build --target wasm32-wasip2 --release). Unit tests: `aio operator test {{name}}`.
#![allow(clippy::missing_safety_doc)]

/// True when the message should be kept.
pub fn keep(payload: &[u8], max_value: f64) -> bool {
    let value = serde_json::from_slice::<serde_json::Value>(payload).ok().and_then(|body| body.get("value").and_then(serde_json::Value::as_f64));
    value.map_or(true, |value| value <= max_value)
}

mod operator {
    use std::sync::OnceLock;

    use wasm_graph_sdk::logger::{self, Level};
    use wasm_graph_sdk::macros::filter_operator;
    use wasm_graph_sdk::metrics::{self, CounterValue};

    static MAX_VALUE: OnceLock<f64> = OnceLock::new();

    fn {{name}}_init(configuration: ModuleConfiguration) -> bool {
        let max = configuration
            .properties
            .iter()
            .find(|(key, _)| key == "max_value")
            .map_or(Ok(100.0), |(_, value)| value.parse::<f64>());
        let Ok(max) = max else {
            logger::log(Level::Error, "{{name}}", "the max_value parameter is not a number");
            return false;
        };
        logger::log(Level::Info, "{{name}}", &format!("keeping values up to {max}"));
        MAX_VALUE.set(max).is_ok()
    }

    #[filter_operator(init = "{{name}}_init")]
    fn {{name}}(input: DataModel) -> Result<bool, Error> {
        let DataModel::Message(message) = input else {
            return Err(Error { message: "expected a message".to_string() });
        };
        let keep = crate::keep(&message.payload.read(), *MAX_VALUE.get().unwrap_or(&100.0));
        if !keep {
            let _ = metrics::add_to_counter("{{name}}_dropped", CounterValue::U64(1), None);
        }
        Ok(keep)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn drops_values_above_the_maximum() {
        assert!(super::keep(br#"{"value": 42}"#, 50.0));
        assert!(!super::keep(br#"{"value": 51}"#, 50.0));
        assert!(super::keep(br#"{"status": "ok"}"#, 50.0));
    }
}

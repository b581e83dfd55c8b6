// {{name}}: a branch operator. Routes messages whose JSON payload's "value" is above the `threshold` parameter
// (default 50) to the arm "True", everything else to the arm "False".
// Build: `aio build` (cargo build --target wasm32-wasip2 --release). Unit tests: `aio operator test {{name}}`.
#![allow(clippy::missing_safety_doc)]

/// True for the arm "True".
pub fn is_high(payload: &[u8], threshold: f64) -> bool {
    let value = serde_json::from_slice::<serde_json::Value>(payload).ok().and_then(|body| body.get("value").and_then(serde_json::Value::as_f64));
    value.is_some_and(|value| value > threshold)
}

mod operator {
    use std::sync::OnceLock;

    use wasm_graph_sdk::logger::{self, Level};
    use wasm_graph_sdk::macros::branch_operator;
    use wasm_graph_sdk::metrics::{self, CounterValue, Label};

    static THRESHOLD: OnceLock<f64> = OnceLock::new();

    fn {{name}}_init(configuration: ModuleConfiguration) -> bool {
        let threshold = configuration
            .properties
            .iter()
            .find(|(key, _)| key == "threshold")
            .map_or(Ok(50.0), |(_, value)| value.parse::<f64>());
        let Ok(threshold) = threshold else {
            logger::log(Level::Error, "{{name}}", "the threshold parameter is not a number");
            return false;
        };
        logger::log(Level::Info, "{{name}}", &format!("routing values above {threshold} to True"));
        THRESHOLD.set(threshold).is_ok()
    }

    #[branch_operator(init = "{{name}}_init")]
    fn {{name}}(_timestamp: HybridLogicalClock, input: DataModel) -> Result<bool, Error> {
        let DataModel::Message(message) = input else {
            return Err(Error { message: "expected a message".to_string() });
        };
        let high = crate::is_high(&message.payload.read(), *THRESHOLD.get().unwrap_or(&50.0));
        let labels = vec![Label { key: "arm".to_owned(), value: if high { "True" } else { "False" }.to_owned() }];
        let _ = metrics::add_to_counter("{{name}}_routed", CounterValue::U64(1), Some(&labels));
        Ok(high)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn routes_values_above_the_threshold() {
        assert!(super::is_high(br#"{"value": 42}"#, 10.0));
        assert!(!super::is_high(br#"{"value": 7}"#, 10.0));
        assert!(!super::is_high(br#"{"status": "ok"}"#, 10.0));
    }
}

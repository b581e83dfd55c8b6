// {{name}}: a map operator. Each message's JSON payload {"value": <number>, ...} comes out with value multiplied by
// the `scale` parameter (from the graph's moduleConfigurations; default 2) and "scaledBy" added.
// Build: `aio build` (cargo build --target wasm32-wasip2 --release). Unit tests: `aio operator test {{name}}`.
#![allow(clippy::missing_safety_doc)]

use serde_json::{json, Value};

/// The payload with its "value" scaled, or None when it is not a JSON object with a numeric "value".
pub fn scale_payload(payload: &[u8], scale: f64) -> Option<Vec<u8>> {
    let mut body: Value = serde_json::from_slice(payload).ok()?;
    let value = body.get("value")?.as_f64()?;
    body["value"] = json!(value * scale);
    body["scaledBy"] = json!(scale);
    serde_json::to_vec(&body).ok()
}

mod operator {
    use std::sync::OnceLock;

    use wasm_graph_sdk::logger::{self, Level};
    use wasm_graph_sdk::macros::map_operator;
    use wasm_graph_sdk::metrics::{self, CounterValue};

    static SCALE: OnceLock<f64> = OnceLock::new();

    fn {{name}}_init(configuration: ModuleConfiguration) -> bool {
        let scale = configuration
            .properties
            .iter()
            .find(|(key, _)| key == "scale")
            .map_or(Ok(2.0), |(_, value)| value.parse::<f64>());
        let Ok(scale) = scale else {
            logger::log(Level::Error, "{{name}}", "the scale parameter is not a number");
            return false;
        };
        logger::log(Level::Info, "{{name}}", &format!("scaling values by {scale}"));
        SCALE.set(scale).is_ok()
    }

    #[map_operator(init = "{{name}}_init")]
    fn {{name}}(input: DataModel) -> Result<DataModel, Error> {
        let DataModel::Message(mut message) = input else {
            return Err(Error { message: "expected a message".to_string() });
        };
        if let Some(payload) = crate::scale_payload(&message.payload.read(), *SCALE.get().unwrap_or(&2.0)) {
            let _ = metrics::add_to_counter("{{name}}_scaled", CounterValue::U64(1), None);
            message.payload = BufferOrBytes::Bytes(payload);
        }
        Ok(DataModel::Message(message))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scales_the_value() {
        let out = super::scale_payload(br#"{"value": 14, "unit": "C"}"#, 3.0).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(body, serde_json::json!({"value": 42.0, "unit": "C", "scaledBy": 3.0}));
    }
}

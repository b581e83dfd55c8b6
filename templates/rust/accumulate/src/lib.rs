// {{name}}: an accumulate operator. Folds the messages of one timestamp (put a delay before it to make windows)
// into {"count", "min", "max", "sum", "average"} of the payload field named by the `field` parameter (default
// "value").
// Build: `aio build` (cargo build --target wasm32-wasip2 --release). Unit tests: `aio operator test {{name}}`.
#![allow(clippy::missing_safety_doc)]

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub count: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub sum: f64,
    pub average: Option<f64>,
}

/// Folds one payload into the statistics; payloads without the numeric field are skipped.
pub fn fold(stats: &mut Stats, payload: &[u8], field: &str) {
    let Some(value) = serde_json::from_slice::<serde_json::Value>(payload).ok().and_then(|body| body.get(field).and_then(serde_json::Value::as_f64)) else {
        return;
    };
    stats.count += 1;
    stats.min = Some(stats.min.map_or(value, |min| min.min(value)));
    stats.max = Some(stats.max.map_or(value, |max| max.max(value)));
    stats.sum += value;
    #[allow(clippy::cast_precision_loss)]
    let average = stats.sum / stats.count as f64;
    stats.average = Some(average);
}

mod operator {
    use std::sync::OnceLock;

    use wasm_graph_sdk::logger::{self, Level};
    use wasm_graph_sdk::macros::accumulate_operator;
    use wasm_graph_sdk::metrics::{self, HistogramValue};

    static FIELD: OnceLock<String> = OnceLock::new();

    fn {{name}}_init(configuration: ModuleConfiguration) -> bool {
        let field = configuration.properties.iter().find(|(key, _)| key == "field").map_or("value".to_owned(), |(_, value)| value.clone());
        logger::log(Level::Info, "{{name}}", &format!("accumulating the {field} field"));
        FIELD.set(field).is_ok()
    }

    #[accumulate_operator(init = "{{name}}_init")]
    fn {{name}}(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut result) = staged else {
            return Err(Error { message: "expected a message".to_string() });
        };
        let field = FIELD.get().map_or("value", String::as_str);
        let mut stats: crate::Stats = serde_json::from_slice(&result.payload.read()).unwrap_or_default();
        #[allow(clippy::cast_precision_loss)]
        let _ = metrics::record_to_histogram("{{name}}_batch_size", HistogramValue::F64(inputs.len() as f64), None);
        for input in inputs {
            if let DataModel::Message(message) = input {
                crate::fold(&mut stats, &message.payload.read(), field);
            }
        }
        result.payload = BufferOrBytes::Bytes(serde_json::to_vec(&stats).map_err(|e| Error { message: e.to_string() })?);
        Ok(DataModel::Message(result))
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, Stats};

    #[test]
    fn folds_count_min_max_sum_average() {
        let mut stats = Stats::default();
        for payload in [&br#"{"t": 20}"#[..], br#"{"t": 30}"#, br#"{"t": 25}"#] {
            fold(&mut stats, payload, "t");
        }
        assert_eq!(stats, Stats { count: 3, min: Some(20.0), max: Some(30.0), sum: 75.0, average: Some(25.0) });
    }
}

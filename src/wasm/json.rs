//! The core's [`Json`] view over values `JSON.parse` produced: the engine parses, the core reads.

use crate::core::json::{Json, Kind};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

/// The field names the decoders read, made into JavaScript strings once per thread instead of
/// once per read (a small fixed table; wasm-bindgen's general interning costs a hash map).
const KEYS: [&str; 21] = [
    "id",
    "status",
    "conclusion",
    "queued_at",
    "started_at",
    "completed_at",
    "build",
    "infra",
    "deploy",
    "ok",
    "data",
    "access_token",
    "expires_in",
    "actor",
    "token_type",
    "error",
    "error_description",
    "code",
    "message",
    "details",
    "detail",
];

thread_local! {
    static KEY_VALUES: Vec<JsValue> = KEYS.iter().map(|k| JsValue::from_str(k)).collect();
}

fn key_value(key: &str) -> JsValue {
    KEYS.iter()
        .position(|k| *k == key)
        .and_then(|i| KEY_VALUES.with(|v| v.get(i).cloned()))
        .unwrap_or_else(|| JsValue::from_str(key))
}

impl Json for JsValue {
    fn kind(&self) -> Kind {
        if self.is_string() {
            Kind::String
        } else if self.is_object() {
            if Array::is_array(self) {
                Kind::Array
            } else {
                Kind::Object
            }
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if self.as_bool().is_some() {
            Kind::Bool
        } else {
            Kind::Null
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        // Field names are few and fixed: interned, they cross into JavaScript once.
        Reflect::get(self, &key_value(key))
            .ok()
            .filter(|v| !v.is_undefined())
    }

    fn as_str(&self) -> Option<String> {
        self.as_string()
    }

    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }

    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }

    fn as_date_millis(&self) -> Option<f64> {
        use wasm_bindgen::JsCast;
        self.dyn_ref::<js_sys::Date>().map(|d| d.get_time())
    }

    fn to_json_text(&self) -> String {
        js_sys::JSON::stringify(self)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

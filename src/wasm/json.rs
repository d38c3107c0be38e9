//! The core's [`Json`] view over values `JSON.parse` produced: the engine parses, the core reads.

use crate::core::json::{Json, Kind};
use crate::wasm::read;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

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

    fn array_len(&self) -> Option<usize> {
        Array::is_array(self).then(|| Array::from(self).length() as usize)
    }

    fn index(&self, i: usize) -> Option<Self> {
        let i = u32::try_from(i).ok()?;
        Array::is_array(self).then(|| Array::from(self).get(i))
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        // Field names are few and fixed: interned, they cross into JavaScript once.
        Reflect::get(self, &read::key(key))
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

//! The core's [`Json`] view over values `JSON.parse` produced: the engine parses, the core reads.

use crate::core::json::{Json, Kind};
use crate::wasm::{read, runtime};
use js_sys::Array;
use wasm_bindgen::JsValue;

impl Json for JsValue {
    fn kind(&self) -> Kind {
        Kind::from_index(runtime::kind_of(self))
    }

    fn array_len(&self) -> Option<usize> {
        Array::is_array(self).then(|| Array::from(self).length() as usize)
    }

    fn index(&self, i: usize) -> Option<Self> {
        let i = u32::try_from(i).ok()?;
        Array::is_array(self).then(|| Array::from(self).get(i))
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        // Field names are few and fixed: interned, they cross into JavaScript once.
        Some(read::get(self, key)).filter(|v| !v.is_undefined())
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

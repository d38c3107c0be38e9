//! Reading loosely typed JavaScript values (option objects, arguments) with clear errors.

use crate::core::error::Error;
use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// A plain object of named options; `undefined`/`null` reads as empty.
pub struct Fields<'a> {
    obj: Option<JsValue>,
    what: &'a str,
}

impl<'a> Fields<'a> {
    /// Wraps `v`, refusing anything but an object (or nothing) and any key not in `allowed`.
    pub fn new(v: &JsValue, what: &'a str, allowed: &[&str]) -> Result<Self, Error> {
        if v.is_undefined() || v.is_null() {
            return Ok(Fields { obj: None, what });
        }
        if !v.is_object() || v.is_function() {
            return Err(Error::validation(format!("{what} must be an object")));
        }
        for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
            let k = key.as_string().unwrap_or_default();
            if !allowed.contains(&k.as_str()) {
                return Err(Error::validation(format!(
                    "{what} has an unknown field {}; known fields: {}",
                    crate::core::error::quoted(&k),
                    allowed.join(", ")
                )));
            }
        }
        Ok(Fields {
            obj: Some(v.clone()),
            what,
        })
    }

    /// The raw value of `key`, `None` when absent, `undefined` or `null`.
    pub fn raw(&self, key: &str) -> Option<JsValue> {
        let obj = self.obj.as_ref()?;
        let v = Reflect::get(obj, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    fn wrong(&self, key: &str, ty: &str) -> Error {
        Error::validation(format!("{}.{key} must be {ty}", self.what))
    }

    /// A string field.
    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.raw(key)
            .map(|v| v.as_string().ok_or_else(|| self.wrong(key, "a string")))
            .transpose()
    }

    /// A number field.
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        self.raw(key)
            .map(|v| v.as_f64().ok_or_else(|| self.wrong(key, "a number")))
            .transpose()
    }

    /// A boolean field (absent = false).
    pub fn boolean(&self, key: &str) -> Result<bool, Error> {
        self.raw(key)
            .map(|v| v.as_bool().ok_or_else(|| self.wrong(key, "a boolean")))
            .transpose()
            .map(|b| b.unwrap_or(false))
    }

    /// A function field.
    pub fn function(&self, key: &str) -> Result<Option<Function>, Error> {
        self.raw(key)
            .map(|v| {
                v.dyn_into::<Function>()
                    .map_err(|_| self.wrong(key, "a function"))
            })
            .transpose()
    }

    /// An `AbortSignal`-like field (an object with an `aborted` property).
    pub fn signal(&self, key: &str) -> Result<JsValue, Error> {
        match self.raw(key) {
            None => Ok(JsValue::UNDEFINED),
            Some(v) if v.is_object() && Reflect::has(&v, &"aborted".into()).unwrap_or(false) => {
                Ok(v)
            }
            Some(_) => Err(self.wrong(key, "an AbortSignal")),
        }
    }
}

thread_local! {
    /// Property names made into JavaScript strings once per thread instead of once per read:
    /// the models' field names and the transport's answer fields (a few dozen `&'static str`),
    /// found by address — no table to keep in step with them, and no hash map.
    static KEYS: RefCell<Vec<((usize, usize), JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `key` as a JavaScript string, made once.
pub fn key(key: &'static str) -> JsValue {
    let id = (key.as_ptr() as usize, key.len());
    KEYS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, v)) = cache.iter().find(|(k, _)| *k == id) {
            return v.clone();
        }
        let v = JsValue::from_str(key);
        cache.push((id, v.clone()));
        v
    })
}

/// `v[name]`, `undefined` when it cannot be read.
pub fn get(v: &JsValue, name: &'static str) -> JsValue {
    Reflect::get(v, &key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A plain object with these properties (setting on a fresh object cannot fail).
pub fn object(props: &[(&'static str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in props {
        let _ = Reflect::set(&o, &key(k), v);
    }
    o.into()
}

/// `Some(v)` as a value, `None` as `null`.
pub fn or_null<T: Into<JsValue>>(v: Option<T>) -> JsValue {
    v.map_or(JsValue::NULL, Into::into)
}

/// A required string argument.
pub fn string_arg(v: &JsValue, what: &str) -> Result<String, Error> {
    v.as_string()
        .ok_or_else(|| Error::validation(format!("{what} must be a string")))
}

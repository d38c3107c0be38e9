//! Reading loosely typed JavaScript values (option objects, arguments) with clear errors.

use crate::core::error::Error;
use crate::wasm::runtime;
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
    pub fn raw(&self, key: &'static str) -> Option<JsValue> {
        let v = get(self.obj.as_ref()?, key);
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    fn wrong(&self, key: &str, ty: &str) -> Error {
        Error::validation(format!("{}.{key} must be {ty}", self.what))
    }

    /// A string field.
    pub fn string(&self, key: &'static str) -> Result<Option<String>, Error> {
        self.raw(key)
            .map(|v| v.as_string().ok_or_else(|| self.wrong(key, "a string")))
            .transpose()
    }

    /// A number field.
    pub fn number(&self, key: &'static str) -> Result<Option<f64>, Error> {
        self.raw(key)
            .map(|v| v.as_f64().ok_or_else(|| self.wrong(key, "a number")))
            .transpose()
    }

    /// A boolean field (absent = false).
    pub fn boolean(&self, key: &'static str) -> Result<bool, Error> {
        self.raw(key)
            .map(|v| v.as_bool().ok_or_else(|| self.wrong(key, "a boolean")))
            .transpose()
            .map(|b| b.unwrap_or(false))
    }

    /// A function field.
    pub fn function(&self, key: &'static str) -> Result<Option<Function>, Error> {
        self.raw(key)
            .map(|v| {
                v.dyn_into::<Function>()
                    .map_err(|_| self.wrong(key, "a function"))
            })
            .transpose()
    }

    /// An `AbortSignal`-like field (an object with an `aborted` property).
    pub fn signal(&self, key: &'static str) -> Result<JsValue, Error> {
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

/// Runs `f` with `key` as a JavaScript string, made once (borrowed: no handle to clone and drop).
#[inline(never)]
pub fn with_key(key: &'static str, f: &dyn Fn(&JsValue) -> JsValue) -> JsValue {
    let id = (key.as_ptr() as usize, key.len());
    KEYS.with(|cache| {
        // Re-entered (a caller's getter calling back into the module): a fresh string.
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return f(&JsValue::from_str(key));
        };
        if let Some((_, v)) = cache.iter().find(|(k, _)| *k == id) {
            return f(v);
        }
        let v = JsValue::from_str(key);
        let out = f(&v);
        cache.push((id, v));
        out
    })
}

/// `v[name]`, `undefined` when `v` is not an object or the property cannot be read.
pub fn get(v: &JsValue, name: &'static str) -> JsValue {
    with_key(name, &|k| runtime::field(v, k))
}

/// A plain object with these properties (setting on a fresh object cannot fail).
pub fn object(props: &[(&'static str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in props {
        with_key(k, &|k| {
            let _ = Reflect::set(&o, k, v);
            JsValue::UNDEFINED
        });
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

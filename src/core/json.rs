//! A read-only view of parsed JSON. The JavaScript engine parses every body (`JSON.parse`);
//! the core only walks the result through this trait, so no JSON parser is compiled into the
//! wasm module. On the host (tests, fuzzing) `serde_json::Value` implements it.

/// What a JSON value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// Every kind, in the order of their indices (`js/runtime.js`'s `kindOf` answers with them).
    pub const ALL: [Kind; 6] = [
        Kind::Null,
        Kind::Bool,
        Kind::Number,
        Kind::String,
        Kind::Array,
        Kind::Object,
    ];

    /// The kind at `index` in [`Kind::ALL`]; `Null` for any other number.
    pub fn from_index(index: u8) -> Kind {
        Self::ALL
            .get(usize::from(index))
            .copied()
            .unwrap_or(Kind::Null)
    }

    /// `"a string"`, `"null"`, … for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// A parsed JSON value.
pub trait Json: Sized + Clone {
    /// Its kind.
    fn kind(&self) -> Kind;
    /// An object's member; `None` when absent (or not an object). Keys are the models' fixed
    /// field names, so a host may intern them.
    fn get(&self, key: &'static str) -> Option<Self>;
    /// An array's length; `None` when not an array.
    fn array_len(&self) -> Option<usize>;
    /// An array's element.
    fn index(&self, i: usize) -> Option<Self>;
    /// A string's contents.
    fn as_str(&self) -> Option<String>;
    /// A number's value.
    fn as_f64(&self) -> Option<f64>;
    /// A boolean's value.
    fn as_bool(&self) -> Option<bool>;
    /// The value as JSON text (used for an error's `details`).
    fn to_json_text(&self) -> String;
    /// A point in time the host already holds as such (a JavaScript `Date` handed back by a
    /// caller), as epoch milliseconds. Parsed JSON never has one.
    fn as_date_millis(&self) -> Option<f64> {
        None
    }
}

#[cfg(any(test, not(target_arch = "wasm32")))]
impl Json for serde_json::Value {
    fn kind(&self) -> Kind {
        match self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::String,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }
    fn get(&self, key: &'static str) -> Option<Self> {
        self.as_object().and_then(|o| o.get(key)).cloned()
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn index(&self, i: usize) -> Option<Self> {
        self.as_array().and_then(|a| a.get(i)).cloned()
    }
    fn as_str(&self) -> Option<String> {
        serde_json::Value::as_str(self).map(str::to_owned)
    }
    fn as_f64(&self) -> Option<f64> {
        serde_json::Value::as_f64(self)
    }
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }
    fn to_json_text(&self) -> String {
        self.to_string()
    }
}

/// Reads typed fields of one JSON object, naming the path in every error
/// (`build.status must be a string`).
pub struct Reader<'a, J: Json> {
    value: &'a J,
    path: &'a str,
}

impl<'a, J: Json> Reader<'a, J> {
    /// A reader of `value`, which must be an object; `path` names it in messages (`""` = root).
    pub fn object(value: &'a J, path: &'a str) -> Result<Self, String> {
        if value.kind() != Kind::Object {
            let what = if path.is_empty() { "the body" } else { path };
            return Err(format!(
                "{what} must be an object, got {}",
                value.kind().describe()
            ));
        }
        Ok(Reader { value, path })
    }

    /// `path.key` for messages.
    pub fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A member that may be absent.
    pub fn get(&self, key: &'static str) -> Option<J> {
        self.value.get(key)
    }

    /// A member that must be present (`null` counts as present).
    pub fn required(&self, key: &'static str) -> Result<J, String> {
        self.get(key)
            .ok_or_else(|| format!("missing field `{}`", self.name(key)))
    }

    /// A required string.
    pub fn string(&self, key: &'static str) -> Result<String, String> {
        let v = self.required(key)?;
        v.as_str().ok_or_else(|| {
            format!(
                "`{}` must be a string, got {}",
                self.name(key),
                v.kind().describe()
            )
        })
    }

    /// A string that may be absent or `null`.
    pub fn opt_string(&self, key: &'static str) -> Result<Option<String>, String> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        // The common case first: one look at the value.
        if let Some(s) = v.as_str() {
            return Ok(Some(s));
        }
        match v.kind() {
            Kind::Null => Ok(None),
            _ => Err({
                format!(
                    "`{}` must be a string, got {}",
                    self.name(key),
                    v.kind().describe()
                )
            }),
        }
    }

    /// A timestamp that may be absent or `null`: an RFC 3339 string, or a host date (the
    /// webhook events read their timestamps by field name).
    pub fn opt_time(
        &self,
        key: &'static str,
    ) -> Result<Option<crate::core::timestamp::Timestamp>, String> {
        use crate::core::timestamp::Timestamp;
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        if let Some(s) = v.as_str() {
            return Timestamp::parse(&s)
                .map(Some)
                .map_err(|e| format!("`{}`: {e}", self.name(key)));
        }
        if let Some(ms) = v.as_date_millis() {
            return Timestamp::from_unix_millis(ms)
                .map(Some)
                .ok_or_else(|| format!("`{}` is an invalid date", self.name(key)));
        }
        match v.kind() {
            Kind::Null => Ok(None),
            k => Err(format!(
                "`{}` must be a timestamp, got {}",
                self.name(key),
                k.describe()
            )),
        }
    }

    /// A required number.
    pub fn number(&self, key: &'static str) -> Result<f64, String> {
        let v = self.required(key)?;
        v.as_f64().ok_or_else(|| {
            format!(
                "`{}` must be a number, got {}",
                self.name(key),
                v.kind().describe()
            )
        })
    }
}

/// A JSON string literal for `s` (RFC 8259 escaping): the one JSON encoder request bodies need.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let n = c as u32;
                let hex = |d: u32| char::from_digit(d, 16).unwrap_or('0');
                out.push_str("\\u00");
                out.push(hex(n >> 4));
                out.push(hex(n & 15));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON object of string members, in order: `{"email":"…","role":"…"}`.
pub fn json_object(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(k));
        out.push(':');
        out.push_str(&json_string(v));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reader_names_paths_in_errors() {
        let v = json!({"a": 1, "s": "x", "n": null});
        let r = Reader::object(&v, "build").unwrap();
        assert_eq!(r.string("s").unwrap(), "x");
        assert_eq!(r.number("a").unwrap(), 1.0);
        assert_eq!(r.opt_string("n").unwrap(), None);
        assert_eq!(r.opt_string("zz").unwrap(), None);
        assert_eq!(
            r.string("a").unwrap_err(),
            "`build.a` must be a string, got a number"
        );
        assert_eq!(r.string("zz").unwrap_err(), "missing field `build.zz`");
        let err = Reader::object(&json!([1]), "").err().unwrap_or_default();
        assert!(err.contains("the body must be an object"), "{err}");
    }
}

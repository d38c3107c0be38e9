//! Declarative response models: one [`model!`](crate::model) description per model gives its
//! Rust struct, its decoder (through [`Field`]), the list of its `Date` fields by name (for the
//! JavaScript layer, [`Patches`]) and — on wasm — its TypeScript type (tsify derives it from
//! the same struct). Arrays ([`Vec`]) and nested models decode generically.
//!
//! Knows no resource by name: the resources (`crate::core::resources`) describe their models.

use crate::core::json::{Json, Kind};
use crate::core::timestamp::Timestamp;
use std::fmt;

/// Where a value sits in a body (`build.status`, `[2].email`), rendered only for messages.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The body itself.
    Root,
    /// A member of an object.
    Key(&'a Path<'a>, &'static str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(p, k) => write!(f, "{p}.{k}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// A value that can be read from parsed JSON and patched for the caller.
pub trait Field: Sized {
    /// Reads the value `v`; `path` names it in messages (`build.status`, `[2].email`).
    /// Messages name fields, never quote values (a value may be a secret).
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String>;

    /// The value for an absent or `null` field read with `or_default`.
    fn absent() -> Option<Self> {
        None
    }

    /// Adds what the JavaScript layer must change in the payload at `path` for the caller:
    /// timestamps become `Date`s (or `null`), defaulted strings `""`.
    /// `path` is a buffer a container extends for each member ([`patch_at`]) and restores.
    fn patch(&self, _path: &mut String, _defaulted: bool, _out: &mut Patches) {}
}

/// What the JavaScript layer changes in a payload, by field path (`build.queued_at`,
/// `0.invited`): one crossing for a whole answer, whatever the resource.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patches {
    /// Paths of timestamp fields, one per line.
    pub date_paths: String,
    /// Their instants in epoch milliseconds, `NaN` for `null`.
    pub date_millis: Vec<f64>,
    /// Paths of string fields that were absent or `null` and read as `""`, one per line.
    pub empty_strings: String,
}

impl Patches {
    /// The patches of a decoded value.
    pub fn of<T: Field>(value: &T) -> Self {
        let mut p = Patches::default();
        value.patch(&mut String::new(), false, &mut p);
        p
    }

    fn push_line(list: &mut String, path: &str) {
        if !list.is_empty() {
            list.push('\n');
        }
        list.push_str(path);
    }

    /// Every timestamp path of the value, in order (for tests).
    pub fn date_fields(&self) -> Vec<&str> {
        self.date_paths.lines().collect()
    }
}

/// Patches `v`, the member `key` of the value at `path` (`path.key`, or `key` at the root):
/// `path` is extended for it and restored afterwards, so no string is allocated per member.
pub fn patch_at<T: Field>(v: &T, path: &mut String, key: &str, defaulted: bool, out: &mut Patches) {
    let at = path.len();
    if at > 0 {
        path.push('.');
    }
    path.push_str(key);
    v.patch(path, defaulted, out);
    path.truncate(at);
}

/// `i` in decimal, written into `buf` (no allocation, no `core::fmt`).
fn decimal(mut i: usize, buf: &mut [u8; 20]) -> &str {
    let mut n = buf.len();
    while let Some(d) = n.checked_sub(1).and_then(|k| buf.get_mut(k)) {
        *d = b'0' + (i % 10) as u8;
        n -= 1;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    buf.get(n..)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default()
}

/// "`path` must be `what`, got …" (the root is "the body").
pub fn wrong<J: Json>(path: &Path<'_>, what: &str, v: &J) -> String {
    match path {
        Path::Root => format!("the body must be {what}, got {}", v.kind().describe()),
        p => format!("`{p}` must be {what}, got {}", v.kind().describe()),
    }
}

impl Field for String {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        v.as_str().ok_or_else(|| wrong(path, "a string", v))
    }
    fn absent() -> Option<Self> {
        Some(String::new())
    }
    fn patch(&self, path: &mut String, defaulted: bool, out: &mut Patches) {
        if defaulted && self.is_empty() {
            Patches::push_line(&mut out.empty_strings, path);
        }
    }
}

impl Field for f64 {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        v.as_f64().ok_or_else(|| wrong(path, "a number", v))
    }
}

impl Field for bool {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| wrong(path, "a boolean", v))
    }
}

/// A timestamp field: an RFC 3339 string (or a host `Date`), `null`, absent — or Go's zero
/// time `0001-01-01T00:00:00Z`, which the Go API sends for an unset `time.Time`: all but the
/// first are `None`, and reach the caller as `null`.
impl Field for Option<Timestamp> {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        if let Some(s) = v.as_str() {
            let t = Timestamp::parse(&s).map_err(|e| format!("`{path}`: {e}"))?;
            return Ok((!t.is_go_zero()).then_some(t));
        }
        if let Some(ms) = v.as_date_millis() {
            return Timestamp::from_unix_millis(ms)
                .map(Some)
                .ok_or_else(|| format!("`{path}` is an invalid date"));
        }
        match v.kind() {
            Kind::Null => Ok(None),
            _ => Err(wrong(path, "a timestamp", v)),
        }
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn patch(&self, path: &mut String, _defaulted: bool, out: &mut Patches) {
        Patches::push_line(&mut out.date_paths, path);
        out.date_millis
            .push(self.map_or(f64::NAN, |t| t.unix_millis()));
    }
}

/// An array of models (or values), each element named `[i]` in messages and `i` in patches.
impl<T: Field> Field for Vec<T> {
    fn from_json<J: Json>(v: &J, path: &Path<'_>) -> Result<Self, String> {
        let n = v.array_len().ok_or_else(|| wrong(path, "an array", v))?;
        let mut out = Vec::with_capacity(n.min(1024));
        for i in 0..n {
            let at = Path::Index(path, i);
            let item = v.index(i).ok_or_else(|| format!("`{at}` is missing"))?;
            out.push(T::from_json(&item, &at)?);
        }
        Ok(out)
    }
    fn patch(&self, path: &mut String, defaulted: bool, out: &mut Patches) {
        let mut buf = [0u8; 20];
        for (i, item) in self.iter().enumerate() {
            patch_at(item, path, decimal(i, &mut buf), defaulted, out);
        }
    }
}

enum Lookup<J> {
    Found(J),
    Default,
    Missing,
}

/// The non-generic half of [`read_field`]: present, defaulted (absent or `null` with
/// `or_default`) or missing.
fn lookup<J: Json>(obj: &J, key: &'static str, or_default: bool) -> Lookup<J> {
    match obj.get(key) {
        Some(v) if or_default && v.kind() == Kind::Null => Lookup::Default,
        Some(v) => Lookup::Found(v),
        None if or_default => Lookup::Default,
        None => Lookup::Missing,
    }
}

/// Reads one field of an object: `required` (present, `null` only where the type takes it)
/// or `or_default` (absent or `null` gives the type's default: `""`, `None`).
pub fn read_field<T: Field, J: Json>(
    obj: &J,
    parent: &Path<'_>,
    key: &'static str,
    or_default: bool,
) -> Result<T, String> {
    let path = Path::Key(parent, key);
    match lookup(obj, key, or_default) {
        Lookup::Found(v) => T::from_json(&v, &path),
        Lookup::Default => T::absent().ok_or_else(|| format!("`{path}` must not be null")),
        Lookup::Missing => Err(format!("missing field `{path}`")),
    }
}

/// Checks that a model's value is an object.
pub fn expect_object<J: Json>(v: &J, path: &Path<'_>) -> Result<(), String> {
    if v.kind() == Kind::Object {
        Ok(())
    } else {
        Err(wrong(path, "an object", v))
    }
}

/// Describes a response model once: the struct (with doc comments, tsify on wasm), its
/// [`Field`] implementation (decoder and patches). Each field says how it is read:
/// `= required` or `= or_default`.
///
/// ```text
/// model! {
///     /// A member of an app.
///     pub struct Member {
///         /// Their email address.
///         email: String = required,
///         /// Absent or null → "".
///         username: String = or_default,
///     }
/// }
/// ```
#[macro_export]
macro_rules! model {
    (
        $(#[$m:meta])*
        pub struct $name:ident $(< $($g:ident),+ >)? {
            $( $(#[$fm:meta])* $field:ident : $ty:ty = $how:ident ),+ $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        pub struct $name $(< $($g),+ >)? {
            $( $(#[$fm])* pub $field: $ty, )+
        }

        impl $(< $($g: $crate::core::model::Field),+ >)? $crate::core::model::Field
            for $name $(< $($g),+ >)?
        {
            fn from_json<J: $crate::core::json::Json>(
                v: &J,
                path: &$crate::core::model::Path<'_>,
            ) -> Result<Self, String> {
                $crate::core::model::expect_object(v, path)?;
                Ok($name {
                    $( $field: $crate::model!(@read v, path, $field, $how), )+
                })
            }
            fn patch(&self, path: &mut String, _defaulted: bool, out: &mut $crate::core::model::Patches) {
                $(
                    $crate::core::model::patch_at(
                        &self.$field,
                        path,
                        stringify!($field),
                        $crate::model!(@defaulted $how),
                        out,
                    );
                )+
            }
        }
    };
    (@read $v:ident, $path:ident, $field:ident, required) => {
        $crate::core::model::read_field($v, $path, stringify!($field), false)?
    };
    (@read $v:ident, $path:ident, $field:ident, or_default) => {
        $crate::core::model::read_field($v, $path, stringify!($field), true)?
    };
    (@defaulted required) => { false };
    (@defaulted or_default) => { true };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    crate::model! {
        /// A test model.
        pub struct Inner {
            /// A.
            at: Option<Timestamp> = or_default,
        }
    }

    crate::model! {
        /// A test model.
        pub struct Outer {
            /// Id.
            id: String = required,
            /// Name.
            name: String = or_default,
            /// Items.
            items: Vec<Inner> = required,
        }
    }

    #[test]
    fn indices_are_written_in_decimal() {
        let mut buf = [0u8; 20];
        for i in [0, 7, 10, 99, 1234, usize::MAX] {
            assert_eq!(decimal(i, &mut buf), i.to_string());
        }
    }

    #[test]
    fn nested_arrays_decode_and_patch_by_name() {
        let v = json!({"id": "x", "items": [{"at": "2026-03-18T09:41:07Z"}, {"at": "0001-01-01T00:00:00Z"}, {}]});
        let o = Outer::from_json(&v, &Path::Root).unwrap();
        assert_eq!(o.name, "");
        assert_eq!(o.items.len(), 3);
        assert!(o.items.iter().skip(1).all(|i| i.at.is_none()));
        let p = Patches::of(&o);
        assert_eq!(p.date_fields(), ["items.0.at", "items.1.at", "items.2.at"]);
        assert_eq!(p.empty_strings, "name");
        assert!(p.date_millis.iter().skip(1).all(|m| m.is_nan()));
        // Indices of several digits, and the path buffer restored after each member.
        let many: Vec<_> = (0..12).map(|_| json!({})).collect();
        let o = Outer::from_json(&json!({"id": "x", "items": many}), &Path::Root).unwrap();
        let p = Patches::of(&o);
        assert_eq!(p.date_fields().len(), 12);
        assert_eq!(
            p.date_fields()[9..],
            ["items.9.at", "items.10.at", "items.11.at"]
        );
        assert_eq!(p.empty_strings, "name");
        let e =
            Outer::from_json(&json!({"id": "x", "items": [{"at": 5}]}), &Path::Root).unwrap_err();
        assert_eq!(e, "`items[0].at` must be a timestamp, got a number");
        let e = Outer::from_json(&json!({"items": []}), &Path::Root).unwrap_err();
        assert_eq!(e, "missing field `id`");
        let e = Outer::from_json(&json!({"id": "x", "items": {}}), &Path::Root).unwrap_err();
        assert!(e.contains("`items` must be an array"), "{e}");
    }
}

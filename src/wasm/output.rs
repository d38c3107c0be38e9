//! Values handed to JavaScript: the payload as the server sent it (so extra fields and unknown
//! enum values pass through), patched as the core says — every timestamp a `Date` (or `null`),
//! defaulted strings `""` — whatever the resource.

use crate::core::client::Fetched;
use crate::core::model::{Field, Patches};
use crate::core::resources::token::Token;
use crate::wasm::read::object;
use wasm_bindgen::JsValue;

/// The value for the caller: its payload with the core's patches applied in one call into
/// JavaScript.
pub fn patched<T: Field>(f: &Fetched<T, JsValue>) -> JsValue {
    let Some(payload) = &f.payload else {
        return JsValue::UNDEFINED;
    };
    let p = Patches::of(&f.value);
    crate::wasm::runtime::apply_patches(payload, &p.date_paths, &p.date_millis, &p.empty_strings)
}

/// A token for the caller; `expires_in` is the seconds left.
pub fn token(t: &Token, remaining_seconds: f64) -> JsValue {
    object(&[
        ("access_token", t.access_token.as_str().into()),
        ("expires_in", remaining_seconds.into()),
        ("actor", t.actor.as_str().into()),
        ("token_type", "Bearer".into()),
    ])
}

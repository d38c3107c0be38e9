//! Values handed to JavaScript: the payload as the server sent it (so extra fields and unknown
//! enum values pass through), with every timestamp replaced by a `Date`.

use crate::core::client::Fetched;
use crate::core::models::{Rollout, Token};
use crate::wasm::read::object;
use wasm_bindgen::JsValue;

/// The rollout for the caller: the payload as sent, its timestamps replaced by `Date`s (one
/// call into JavaScript for all twelve).
pub fn rollout(f: &Fetched<Rollout, JsValue>) -> JsValue {
    let millis = f
        .value
        .timestamps()
        .map(|t| t.map_or(f64::NAN, |t| t.unix_millis()));
    crate::wasm::runtime::set_rollout_dates(&f.payload, &millis)
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

//! Values handed to JavaScript: the payload as the server sent it (so extra fields and unknown
//! enum values pass through), with every timestamp replaced by a `Date`.

use crate::core::client::Fetched;
use crate::core::error::Error;
use crate::core::models::{Rollout, Token};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

fn set(o: &JsValue, k: &str, v: &JsValue) -> Result<(), Error> {
    Reflect::set(o, &JsValue::from_str(k), v)
        .map(|_| ())
        .map_err(|_| Error::protocol("the answer could not be converted"))
}

/// The rollout for the caller: the payload as sent, its timestamps replaced by `Date`s (one
/// call into JavaScript for all twelve).
pub fn rollout(f: &Fetched<Rollout, JsValue>) -> Result<JsValue, Error> {
    let millis = f
        .value
        .timestamps()
        .map(|t| t.map_or(f64::NAN, |t| t.unix_millis()));
    Ok(crate::wasm::runtime::set_rollout_dates(&f.payload, &millis))
}

/// A token for the caller; `expires_in` is the seconds left.
pub fn token(t: &Token, remaining_seconds: f64) -> Result<JsValue, Error> {
    let o: JsValue = Object::new().into();
    set(&o, "access_token", &t.access_token.as_str().into())?;
    set(&o, "expires_in", &remaining_seconds.into())?;
    set(&o, "actor", &t.actor.as_str().into())?;
    set(&o, "token_type", &"Bearer".into())?;
    Ok(o)
}

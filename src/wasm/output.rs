//! Values handed to JavaScript: the payload as the server sent it (so extra fields and unknown
//! enum values pass through), with every timestamp replaced by a `Date`.

use crate::core::client::Fetched;
use crate::core::error::Error;
use crate::core::models::{Rollout, Token};
use crate::core::timestamp::Timestamp;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

fn date(t: Option<Timestamp>) -> JsValue {
    t.map_or(JsValue::NULL, |t| {
        js_sys::Date::new(&JsValue::from_f64(t.unix_millis())).into()
    })
}

fn set(o: &JsValue, k: &str, v: &JsValue) -> Result<(), Error> {
    Reflect::set(o, &JsValue::from_str(k), v)
        .map(|_| ())
        .map_err(|_| Error::protocol("the answer could not be converted"))
}

/// The rollout for the caller: the parsed payload with `Date`s.
pub fn rollout(f: &Fetched<Rollout, JsValue>) -> Result<JsValue, Error> {
    let payload = f.payload.clone();
    let phases = ["build", "infra", "deploy"]
        .map(|p| Reflect::get(&payload, &p.into()).unwrap_or(JsValue::UNDEFINED));
    for (phase, field, ts) in f.value.timestamps() {
        let target = match phase {
            None => &payload,
            Some("build") => &phases[0],
            Some("infra") => &phases[1],
            Some(_) => &phases[2],
        };
        set(target, field, &date(ts))?;
    }
    Ok(payload)
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

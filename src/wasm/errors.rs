//! Core errors as instances of the package's JavaScript error classes.

use crate::core::error::Error;
use crate::wasm::runtime;
use wasm_bindgen::JsValue;

/// The JavaScript error for a core error (its class is picked by the error's kind).
pub fn to_js(e: Error) -> JsValue {
    runtime::make_error(
        e.kind.class_name(),
        &e.message,
        e.status,
        e.code,
        e.details_json,
        e.retry_after,
        e.outcome_unknown,
    )
}

/// A validation error as a JavaScript `EncoreValidationError`.
pub fn validation(message: impl Into<String>) -> JsValue {
    to_js(Error::validation(message))
}

//! `getToken`: the token resource's method.

use crate::wasm::client::{run, EncoreClient};
use crate::wasm::output;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl EncoreClient {
    /// An access token for the OAuth client: cached, renewed before it expires.
    /// `expires_in` is the number of seconds it has left.
    #[wasm_bindgen(js_name = getToken, unchecked_return_type = "Promise<Token>")]
    pub fn get_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let call = self.call(&options.unwrap_or_default());
        run(async move {
            let call = call?;
            let (t, remaining) = inner.get_token(&call).await?;
            Ok(output::token(&t, remaining))
        })
    }
}

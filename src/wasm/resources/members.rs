//! The members resource's methods: `listMembers`, `inviteMember`, `updateMemberRole`.

use crate::core::error::Error;
use crate::core::resources::members::MemberChange;
use crate::wasm::client::{run, EncoreClient};
use crate::wasm::output;
use crate::wasm::read::{string_arg, Fields};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// `{email, role}` from the caller, unknown keys refused.
fn read_change(what: &str, v: &JsValue) -> Result<MemberChange, Error> {
    if v.is_undefined() || v.is_null() {
        return Err(Error::validation(format!(
            "{what} needs a member: {{ email, role }}"
        )));
    }
    let f = Fields::new(v, "member", &["email", "role"])?;
    MemberChange::new(what, f.string("email")?, f.string("role")?)
}

#[wasm_bindgen]
impl EncoreClient {
    /// The members of an app, with the invitations still open.
    #[wasm_bindgen(js_name = listMembers, unchecked_return_type = "Promise<Member[]>")]
    pub fn list_members(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            Ok::<_, Error>((app, self.call(&options.unwrap_or_default())?))
        })();
        run(async move {
            let (app, call) = prepared?;
            Ok(output::patched(&inner.list_members(&call, &app).await?))
        })
    }

    /// Invites someone to an app. Never retried once the invitation may have been sent.
    #[wasm_bindgen(js_name = inviteMember, unchecked_return_type = "Promise<Member>")]
    pub fn invite_member(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ email: string; role: MemberRole }")]
        member: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let change = read_change("inviteMember", &member)?;
            Ok::<_, Error>((app, change, self.call(&options.unwrap_or_default())?))
        })();
        run(async move {
            let (app, change, call) = prepared?;
            Ok(output::patched(
                &inner.invite_member(&call, &app, &change).await?,
            ))
        })
    }

    /// Changes a member's role; `"none"` revokes the membership. Resolves `undefined`.
    #[wasm_bindgen(js_name = updateMemberRole, unchecked_return_type = "Promise<void>")]
    pub fn update_member_role(
        &self,
        #[wasm_bindgen(js_name = appId, unchecked_param_type = "string")] app_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ email: string; role: MemberRole }")]
        member: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let change = read_change("updateMemberRole", &member)?;
            Ok::<_, Error>((app, change, self.call(&options.unwrap_or_default())?))
        })();
        run(async move {
            let (app, change, call) = prepared?;
            inner.update_member_role(&call, &app, &change).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

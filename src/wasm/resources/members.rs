//! The members resource's methods: `listMembers`, `inviteMember`, `updateMemberRole`.

use crate::core::answer::NoContent;
use crate::core::error::Error;
use crate::core::resources::members::{self, Member, MemberChange};
use crate::wasm::client::{run_op, EncoreClient};
use crate::wasm::output;
use crate::wasm::read::{string_arg, Fields};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// `{email, role}` from the caller, unknown keys refused.
#[inline(never)]
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
        let prepared = (|| {
            let op = members::list(&string_arg(&app_id, "appId")?)?;
            Ok((op.erase(), self.call(&options.unwrap_or_default())?))
        })();
        run_op(&self.inner, prepared, |c, a| {
            Ok(output::patched(&c.decode::<Vec<Member>>(a)?))
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
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let op = members::invite(&app, &read_change("inviteMember", &member)?)?;
            Ok((op.erase(), self.call(&options.unwrap_or_default())?))
        })();
        run_op(&self.inner, prepared, |c, a| {
            Ok(output::patched(&c.decode::<Member>(a)?))
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
        let prepared = (|| {
            let app = string_arg(&app_id, "appId")?;
            let op = members::update_role(&app, &read_change("updateMemberRole", &member)?)?;
            Ok((op.erase(), self.call(&options.unwrap_or_default())?))
        })();
        run_op(&self.inner, prepared, |c, a| {
            c.decode::<NoContent>(a).map(|_| JsValue::UNDEFINED)
        })
    }
}

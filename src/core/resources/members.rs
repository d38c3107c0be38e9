//! The members resource (documented by the vendor beyond the reference):
//! `GET /api/apps/{app}/members` (list), `POST /api/apps/{app}/member` (invite, singular as
//! documented) and `PUT /api/apps/{app}/members` (change a role; `"none"` revokes): paths,
//! bodies, the [`Member`] model, checks before sending, idempotency, the wording of an
//! ambiguous invitation and of the 409 `last_owner` answer.

use crate::core::answer::NoContent;
use crate::core::client::{Client, Fetched, Op};
use crate::core::env::Env;
use crate::core::error::{quoted, Error, ErrorKind};
use crate::core::json::json_object;
use crate::core::timestamp::DateOrNull;
use crate::core::url::path_segment;

crate::string_enum!(
    /// A member's role in an app.
    MemberRole, ts = "\"owner\" | \"writer\" | \"reader\" | \"none\"" {
        /// Full control, members included.
        Owner = "owner",
        /// Can deploy and change the app.
        Writer = "writer",
        /// Can look.
        Reader = "reader",
        /// No access: setting it revokes membership.
        NoAccess = "none",
    }
);

crate::model! {
    /// A member of an app, or someone invited to be one. The Go API sends an unset time as
    /// `0001-01-01T00:00:00Z`: it arrives here, like an absent or `null` one, as `None`.
    pub struct Member {
        /// Their email address.
        email: String = required,
        /// Their role; values this version does not know pass through.
        role: MemberRole = required,
        /// When they were invited.
        invited: DateOrNull = or_default,
        /// When they accepted (`null` while the invitation is open).
        accepted: DateOrNull = or_default,
        /// When the invitation expires.
        expires: DateOrNull = or_default,
        /// Their Encore user name (`""` when not known yet).
        username: String = or_default,
        /// Their full name (`""` when not known yet).
        full_name: String = or_default,
        /// Their picture's URL (`""` when none).
        picture_url: String = or_default,
    }
}

/// The body of an invitation or a role change, checked: `{email, role}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberChange {
    /// The member's email address: non-empty, exactly one `@`, no whitespace.
    pub email: String,
    /// The role to give (one of the four).
    pub role: MemberRole,
}

impl MemberChange {
    /// Checks the loosely typed fields a caller passed; every mistake is a validation error
    /// before any request. `what` names the call in messages.
    pub fn new(what: &str, email: Option<String>, role: Option<String>) -> Result<Self, Error> {
        let bad = |why: String| Error::validation(format!("{what}: {why}"));
        let email = email.ok_or_else(|| bad("`email` is required".into()))?;
        if email.is_empty() {
            return Err(bad("`email` is empty".into()));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(format!(
                "`email` {} contains whitespace",
                quoted(&email)
            )));
        }
        let ats = email.matches('@').count();
        let (local, domain) = email.split_once('@').unwrap_or_default();
        if ats != 1 || local.is_empty() || domain.is_empty() {
            return Err(bad(format!(
                "`email` {} is not an email address (it needs exactly one @ between a name and a domain)",
                quoted(&email)
            )));
        }
        let role = role.ok_or_else(|| {
            bad(format!(
                "`role` is required: one of {}",
                MemberRole::KNOWN.join(", ")
            ))
        })?;
        let role = match MemberRole::from_wire(&role) {
            MemberRole::Unknown(r) => {
                return Err(bad(format!(
                    "`role` must be one of {}, got {}",
                    MemberRole::KNOWN.join(", "),
                    quoted(&r)
                )))
            }
            known => known,
        };
        Ok(MemberChange { email, role })
    }

    /// The JSON body.
    pub fn to_json(&self) -> String {
        json_object(&[("email", &self.email), ("role", self.role.as_str())])
    }
}

/// The 409 an API sends when a change would leave the app without an owner.
pub const LAST_OWNER: &str = "last_owner";

/// Says what a 409 `last_owner` means; other errors pass unchanged.
pub fn explain(mut e: Error) -> Error {
    let last_owner = e.kind == ErrorKind::Api
        && e.status == Some(409)
        && (e.code.as_deref() == Some(LAST_OWNER)
            || e.details_json.as_deref() == Some("\"last_owner\""));
    if last_owner {
        e.message = format!(
            "the last owner of an app cannot be removed or demoted: make another member an owner \
             first (the API answered: {})",
            e.message
        );
    }
    e
}

fn members_path(app_id: &str) -> Result<String, Error> {
    Ok(format!(
        "/api/apps/{}/members",
        path_segment("appId", app_id)?
    ))
}

/// `GET /api/apps/{app}/members`: idempotent.
pub fn list(app_id: &str) -> Result<Op<Vec<Member>>, Error> {
    let mut op = Op::get(members_path(app_id)?);
    op.explain = explain;
    Ok(op)
}

/// `POST /api/apps/{app}/member`: not idempotent (a second invitation may be sent), so never
/// retried once it may have been applied. Inviting with `"none"` is refused before sending.
pub fn invite(app_id: &str, change: &MemberChange) -> Result<Op<Member>, Error> {
    if change.role == MemberRole::NoAccess {
        return Err(Error::validation(
            "inviteMember: role \"none\" gives no access; invite as owner, writer or reader \
             (updateMemberRole with \"none\" revokes a membership)",
        ));
    }
    let path = format!("/api/apps/{}/member", path_segment("appId", app_id)?);
    let mut op = Op::post_json(path, change.to_json(), false);
    op.ambiguity = "The invitation may or may not have been sent: check with listMembers before \
                    inviting again."
        .into();
    op.taken =
        "The invitation was probably sent: check with listMembers before inviting again.".into();
    op.explain = explain;
    Ok(op)
}

/// `PUT /api/apps/{app}/members`: sets a role (`"none"` revokes); idempotent, any 2xx body.
pub fn update_role(app_id: &str, change: &MemberChange) -> Result<Op<NoContent>, Error> {
    let mut op = Op::put_json(members_path(app_id)?, change.to_json());
    op.explain = explain;
    Ok(op)
}

impl<E: Env> Client<E> {
    /// The members of an app (see [`list`]).
    pub async fn list_members(
        &self,
        call: &E::Call,
        app_id: &str,
    ) -> Result<Fetched<Vec<Member>, E::Json>, Error> {
        self.run(call, list(app_id)?).await
    }

    /// Invites someone (see [`invite`]).
    pub async fn invite_member(
        &self,
        call: &E::Call,
        app_id: &str,
        change: &MemberChange,
    ) -> Result<Fetched<Member, E::Json>, Error> {
        self.run(call, invite(app_id, change)?).await
    }

    /// Changes a member's role (see [`update_role`]).
    pub async fn update_member_role(
        &self,
        call: &E::Call,
        app_id: &str,
        change: &MemberChange,
    ) -> Result<(), Error> {
        self.run(call, update_role(app_id, change)?)
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answer::Answer;
    use crate::core::model::Patches;
    use serde_json::{json, Value};

    fn change(email: &str, role: &str) -> Result<MemberChange, Error> {
        MemberChange::new("inviteMember", Some(email.into()), Some(role.into()))
    }

    #[test]
    fn changes_are_checked_before_sending() {
        let c = change("ada@example.com", "writer").unwrap();
        assert_eq!(
            c.to_json(),
            r#"{"email":"ada@example.com","role":"writer"}"#
        );
        for (email, role, says) in [
            ("", "writer", "empty"),
            ("ada", "writer", "exactly one @"),
            ("a@b@c", "writer", "exactly one @"),
            ("@b", "writer", "exactly one @"),
            ("a@", "writer", "exactly one @"),
            ("a da@b", "writer", "whitespace"),
            ("ada@b\t", "writer", "whitespace"),
            (
                "ada@b",
                "admin",
                "must be one of owner, writer, reader, none",
            ),
            ("ada@b", "Owner", "must be one of"),
        ] {
            let e = change(email, role).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation);
            assert!(e.message.contains(says), "{email} {role}: {}", e.message);
        }
        assert!(MemberChange::new("x", None, Some("owner".into())).is_err());
        assert!(MemberChange::new("x", Some("a@b".into()), None).is_err());
        for role in MemberRole::KNOWN {
            assert!(change("a@b", role).is_ok());
        }
    }

    #[test]
    fn ops_have_the_documented_paths_and_idempotency() {
        let c = change("ada@example.com", "reader").unwrap();
        let l = list("my app").unwrap();
        assert_eq!(
            (l.method, l.path.as_str()),
            ("GET", "/api/apps/my%20app/members")
        );
        assert!(l.idempotent);
        let i = invite("a", &c).unwrap();
        assert_eq!((i.method, i.path.as_str()), ("POST", "/api/apps/a/member"));
        assert!(!i.idempotent);
        assert!(i
            .ambiguity
            .contains("invitation may or may not have been sent"));
        assert_eq!(i.body.as_deref(), Some(c.to_json().as_str()));
        let u = update_role("a", &c).unwrap();
        assert_eq!((u.method, u.path.as_str()), ("PUT", "/api/apps/a/members"));
        assert!(u.idempotent);
        assert_eq!(u.content_type, Some("application/json"));
        let none = change("a@b", "none").unwrap();
        assert_eq!(invite("a", &none).unwrap_err().kind, ErrorKind::Validation);
        assert!(update_role("a", &none).is_ok());
        assert!(list("..").is_err());
    }

    #[test]
    fn members_decode_with_go_zero_time_absent_strings_and_unknown_roles() {
        let body = json!([
            {"email": "o@x", "role": "owner", "invited": "2026-03-18T09:41:07Z",
             "accepted": "2026-03-18T10:00:00.5Z", "expires": "0001-01-01T00:00:00Z",
             "username": "o", "full_name": "O", "picture_url": "https://p"},
            {"email": "i@x", "role": "billing", "invited": "2026-03-18T09:41:07Z",
             "accepted": "0001-01-01T00:00:00Z", "expires": null, "full_name": null}
        ]);
        let d = <Vec<Member>>::decode(200, Some(&body)).unwrap();
        let [o, i] = d.value.as_slice() else {
            panic!("two members")
        };
        assert_eq!(o.role, MemberRole::Owner);
        assert_eq!(o.expires, None);
        assert_eq!(
            o.accepted.map(|t| t.unix_millis()),
            Some(1_773_828_000_500.0)
        );
        assert_eq!(i.role.as_str(), "billing");
        assert_eq!((i.accepted, i.expires), (None, None));
        assert_eq!((i.username.as_str(), i.full_name.as_str()), ("", ""));
        let p = Patches::of(&d.value);
        assert_eq!(
            p.date_fields(),
            [
                "0.invited",
                "0.accepted",
                "0.expires",
                "1.invited",
                "1.accepted",
                "1.expires"
            ]
        );
        assert_eq!(p.empty_strings, "1.username\n1.full_name\n1.picture_url");
        let enveloped = json!({"ok": true, "data": body});
        assert_eq!(
            <Vec<Member>>::decode(200, Some(&enveloped)).unwrap().value,
            d.value
        );
        for bad in [
            json!({"email": "a"}),
            json!([{"role": "owner"}]),
            json!([{"email": "a@b", "role": 1}]),
            json!([{"email": "a@b", "role": "owner", "invited": "yesterday"}]),
        ] {
            let e = <Vec<Member>>::decode(200, Some(&bad)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Protocol, "{bad}");
        }
        let e = <Vec<Member>>::decode::<Value>(200, Some(&json!([{"email": "a@b"}]))).unwrap_err();
        assert!(
            e.message.contains("missing field `[0].role`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn last_owner_is_explained_and_keeps_its_details() {
        let bare = crate::core::answer::decode_error(
            409,
            Some(
                &json!({"code": "aborted", "message": "cannot remove the last owner", "details": "last_owner"}),
            ),
            "",
            &[],
        );
        let env = crate::core::answer::decode_error(
            409,
            Some(
                &json!({"ok": false, "error": {"code": "aborted", "detail": "last_owner"}, "data": null}),
            ),
            "",
            &[],
        );
        for e in [bare, env] {
            let e = explain(e);
            assert_eq!(e.status, Some(409));
            assert_eq!(e.details_json.as_deref(), Some("\"last_owner\""));
            assert!(
                e.message
                    .contains("last owner of an app cannot be removed or demoted"),
                "{}",
                e.message
            );
        }
        let other = Error::api(409, "already_exists".into(), "taken".into(), None);
        assert_eq!(explain(other.clone()), other);
        let forbidden = Error::api(403, "permission_denied".into(), "no".into(), None);
        assert_eq!(explain(forbidden.clone()), forbidden);
    }
}

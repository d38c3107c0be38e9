//! The token resource: `POST /api/oauth/token` with client credentials (in the body, or in the
//! query as the reference lists them), the [`Token`] model and its decoding.

use crate::core::answer::payload;
use crate::core::client::Op;
use crate::core::credentials::TokenAuthStyle;
use crate::core::error::{Error, ErrorKind};
use crate::core::json::{Json, Reader};
use crate::core::url::form_encode;
use std::fmt;

/// The token endpoint's path.
pub const PATH: &str = "/api/oauth/token";

/// An access token from `POST /api/oauth/token`.
///
/// `Debug` never prints the token itself.
#[derive(Clone, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(
        type = "{ access_token: string; expires_in: number; actor: string; token_type: \"Bearer\" }"
    )
)]
pub struct Token {
    /// The bearer token. Secret.
    pub access_token: String,
    /// Lifetime in seconds (3600 today; always read, never assumed).
    pub expires_in: f64,
    /// Who the token acts as: the OAuth client id (`o2c_…`).
    pub actor: String,
    /// Always `"Bearer"`.
    pub token_type: String,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("actor", &self.actor)
            .finish()
    }
}

impl Token {
    /// Checks what serde cannot: a usable token, a positive finite lifetime, a bearer type.
    pub fn validate(self) -> Result<Self, Error> {
        if self.access_token.is_empty() {
            return Err(Error::protocol("token response has an empty access_token"));
        }
        if !(self.expires_in.is_finite() && self.expires_in > 0.0) {
            return Err(Error::protocol("token response has no positive expires_in"));
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::protocol(format!(
                "token response has token_type {}, expected \"Bearer\"",
                crate::core::error::quoted(&self.token_type)
            )));
        }
        Ok(self)
    }
}

/// The token request for these client credentials. With [`TokenAuthStyle::Query`] the secret
/// sits in the URL; the logged path shows `[redacted]` instead.
pub fn request(id: &str, secret: &str, style: TokenAuthStyle) -> Op<Token> {
    let mut op = match style {
        TokenAuthStyle::Body => Op::post_form(
            PATH.to_owned(),
            form_encode(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ]),
        ),
        TokenAuthStyle::Query => {
            let q = form_encode(&[("client_id", id), ("client_secret", secret)]);
            let shown = form_encode(&[("client_id", id)]);
            let mut op = Op::post_form(format!("{PATH}?{q}"), String::new());
            op.body = None;
            op.content_type = None;
            op.log_path = Some(format!("{PATH}?{shown}&client_secret=[redacted]"));
            op
        }
    };
    op.authenticated = false;
    op
}

/// Decodes a token answer.
pub fn decode<J: Json>(status: u16, body: Option<&J>) -> Result<Token, Error> {
    let (payload, _) = payload(status, body).map_err(|mut e| {
        if e.kind == ErrorKind::Protocol {
            e.message = "the token response is not valid JSON".into();
        }
        e
    })?;
    let token = (|| {
        let r = Reader::object(&payload, "")?;
        Ok::<_, String>(Token {
            access_token: r.string("access_token")?,
            expires_in: r.number("expires_in")?,
            actor: r.opt_string("actor")?.unwrap_or_default(),
            token_type: r
                .opt_string("token_type")?
                .unwrap_or_else(|| "Bearer".into()),
        })
    })()
    .map_err(|why| {
        let mut e = Error::protocol(format!(
            "the token response is not the documented shape: {why}"
        ));
        e.status = Some(status);
        e
    })?;
    token.validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Option<serde_json::Value> {
        serde_json::from_str(s).ok()
    }

    #[test]
    fn token_debug_is_redacted_and_validation_works() {
        let t = Token {
            access_token: "s3cr3t".into(),
            expires_in: 3600.0,
            actor: "o2c_x".into(),
            token_type: "Bearer".into(),
        };
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert!(t.clone().validate().is_ok());
        let mut bad = t.clone();
        bad.expires_in = 0.0;
        assert!(bad.validate().is_err());
        let mut bad = t;
        bad.token_type = "mac".into();
        assert!(bad.validate().is_err());
    }
    #[test]
    fn token_errors_never_quote_values() {
        let t = |s: &str| decode(200, json(s).as_ref());
        let e = t(r#"{"access_token":"sekrit","expires_in":"soon"}"#).unwrap_err();
        assert!(
            !e.message.contains("sekrit") && !e.message.contains("soon"),
            "{}",
            e.message
        );
        assert!(e.message.contains("expires_in"));
        let e = t(r#"{"expires_in":3600}"#).unwrap_err();
        assert!(e.message.contains("access_token"), "{}", e.message);
        let e = t("not json").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Protocol);
        let tok = t(r#"{"ok":true,"data":{"access_token":"a","expires_in":60,"actor":"o2c_1","token_type":"bearer"}}"#)
            .unwrap();
        assert_eq!(tok.expires_in, 60.0);
        assert_eq!(tok.actor, "o2c_1");
    }

    #[test]
    fn query_style_keeps_the_secret_out_of_logs() {
        let op = request("o2c_1", "s3cr3t", TokenAuthStyle::Query);
        assert!(op.path.contains("client_secret=s3cr3t"));
        assert!(!op.log_path.unwrap_or_default().contains("s3cr3t"));
        assert!(op.body.is_none() && op.idempotent && !op.authenticated);
        let op = request("o2c_1", "s3cr3t", TokenAuthStyle::Body);
        assert_eq!(op.path, PATH);
        assert!(op
            .body
            .unwrap_or_default()
            .contains("grant_type=client_credentials"));
    }
}

//! Settling a client's options: what the caller passed (loosely typed, from JavaScript) into a
//! checked [`Settings`]; every mistake becomes a validation error before any request.

use crate::core::credentials::{Config, Credentials, TokenAuthStyle};
use crate::core::error::Error;
use crate::core::retry::RetryPolicy;
use crate::core::url::{BaseUrl, DEFAULT_BASE_URL};

/// Default time limit of one attempt, milliseconds.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

/// How the caller supplies an access token.
#[derive(Clone, PartialEq)]
pub enum TokenInput {
    /// A string.
    Static(String),
    /// A function (called for each request).
    Function,
}

/// The options as given, already split by JavaScript type.
#[derive(Clone, Default)]
pub struct OptionsInput {
    /// `clientId`.
    pub client_id: Option<String>,
    /// `clientSecret`.
    pub client_secret: Option<String>,
    /// `accessToken`.
    pub access_token: Option<TokenInput>,
    /// `baseUrl`.
    pub base_url: Option<String>,
    /// `tokenAuthStyle`.
    pub token_auth_style: Option<String>,
    /// `timeoutMs`.
    pub timeout_ms: Option<f64>,
    /// `maxRetries`.
    pub max_retries: Option<f64>,
    /// `userAgent` suffix.
    pub user_agent: Option<String>,
    /// `dangerouslyAllowBrowser`.
    pub dangerously_allow_browser: bool,
    /// Whether the code runs in a browser (a page or a worker).
    pub in_browser: bool,
}

/// The settled options.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Core configuration.
    pub config: Config,
    /// Per-attempt time limit, milliseconds.
    pub timeout_ms: f64,
    /// The full `User-Agent` (sent from Node only).
    pub user_agent: String,
}

/// The longest single wait a JavaScript timer honours (longer ones fire at once): the cap of
/// every time limit and wait the core hands to its host.
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// Checks a time limit given in milliseconds.
pub fn check_timeout(what: &str, v: f64) -> Result<f64, Error> {
    if v.is_finite() && v > 0.0 && v <= MAX_DELAY_MS {
        Ok(v)
    } else {
        Err(Error::validation(format!(
            "{what} must be a positive number of milliseconds (at most 2147483647), got {}",
            crate::core::error::num(v)
        )))
    }
}

/// Settles the options.
pub fn settle(o: OptionsInput) -> Result<Settings, Error> {
    let style = match o.token_auth_style.as_deref() {
        None | Some("body") => TokenAuthStyle::Body,
        Some("query") => TokenAuthStyle::Query,
        Some(other) => {
            return Err(Error::validation(format!(
                "tokenAuthStyle must be \"body\" or \"query\", got {}",
                crate::core::error::quoted(other)
            )))
        }
    };
    let credentials = match (o.client_id, o.client_secret, o.access_token) {
        (Some(_), Some(_), Some(_)) | (Some(_), None, Some(_)) | (None, Some(_), Some(_)) => {
            return Err(Error::validation(
                "give either clientId and clientSecret, or accessToken, not both",
            ))
        }
        (None, None, None) => {
            return Err(Error::validation(
                "no credentials: give clientId and clientSecret (an Encore OAuth client), or \
                 accessToken (a token or a function returning one)",
            ))
        }
        (Some(_), None, None) => {
            return Err(Error::validation("clientId is given without clientSecret"))
        }
        (None, Some(_), None) => {
            return Err(Error::validation("clientSecret is given without clientId"))
        }
        (Some(id), Some(secret), None) => {
            if id.trim().is_empty() {
                return Err(Error::validation("clientId is empty"));
            }
            if secret.is_empty() {
                return Err(Error::validation("clientSecret is empty"));
            }
            if o.in_browser && !o.dangerously_allow_browser {
                return Err(Error::validation(
                    "a clientSecret in a browser is readable by anyone who opens the page. Keep \
                     client secrets on a server and give the browser accessToken: a function \
                     that asks your backend for a token. To do it anyway (a local tool, a demo), \
                     pass dangerouslyAllowBrowser: true",
                ));
            }
            Credentials::Client { id, secret, style }
        }
        (None, None, Some(TokenInput::Static(t))) => {
            if t.is_empty() {
                return Err(Error::validation("accessToken is empty"));
            }
            Credentials::Static(t)
        }
        (None, None, Some(TokenInput::Function)) => Credentials::Provider,
    };
    if o.token_auth_style.is_some() && !matches!(credentials, Credentials::Client { .. }) {
        return Err(Error::validation(
            "tokenAuthStyle only applies with clientId and clientSecret",
        ));
    }
    let base_url = BaseUrl::parse(o.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    let timeout_ms = match o.timeout_ms {
        Some(v) => check_timeout("timeoutMs", v)?,
        None => DEFAULT_TIMEOUT_MS,
    };
    let retry = match o.max_retries {
        None => RetryPolicy::default(),
        Some(v) if v.fract() == 0.0 && (0.0..=10.0).contains(&v) => RetryPolicy {
            max_retries: v as u32,
        },
        Some(v) => {
            return Err(Error::validation(format!(
                "maxRetries must be a whole number from 0 to 10, got {}",
                crate::core::error::num(v)
            )))
        }
    };
    let mut user_agent = format!("encore-cloud/{}", env!("CARGO_PKG_VERSION"));
    if let Some(extra) = o.user_agent.filter(|s| !s.trim().is_empty()) {
        if extra.chars().any(|c| c.is_control()) {
            return Err(Error::validation(
                "userAgent must not contain control characters",
            ));
        }
        user_agent.push(' ');
        user_agent.push_str(extra.trim());
    }
    Ok(Settings {
        config: Config {
            base_url,
            credentials,
            retry,
        },
        timeout_ms,
        user_agent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> OptionsInput {
        OptionsInput {
            client_id: Some("o2c_1".into()),
            client_secret: Some("s".into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults() {
        let s = settle(client()).unwrap();
        assert_eq!(s.config.base_url.as_str(), "https://api.encore.dev");
        assert_eq!(s.timeout_ms, 30_000.0);
        assert_eq!(s.config.retry.max_retries, 2);
        assert!(s.user_agent.starts_with("encore-cloud/"));
        assert!(!format!("{s:?}").contains("\"s\""));
    }

    #[test]
    fn credentials_must_be_one_complete_kind() {
        let e = settle(OptionsInput::default()).unwrap_err();
        assert!(e.message.contains("no credentials"));
        let mut o = client();
        o.access_token = Some(TokenInput::Static("t".into()));
        assert!(settle(o).is_err());
        let mut o = client();
        o.client_secret = None;
        assert!(settle(o)
            .unwrap_err()
            .message
            .contains("without clientSecret"));
        let o = OptionsInput {
            access_token: Some(TokenInput::Static(String::new())),
            ..Default::default()
        };
        assert!(settle(o).is_err());
        let o = OptionsInput {
            access_token: Some(TokenInput::Function),
            token_auth_style: Some("query".into()),
            ..Default::default()
        };
        assert!(settle(o).is_err());
    }

    #[test]
    fn browser_secrets_need_an_explicit_opt_in() {
        let mut o = client();
        o.in_browser = true;
        assert!(settle(o.clone())
            .unwrap_err()
            .message
            .contains("dangerouslyAllowBrowser"));
        o.dangerously_allow_browser = true;
        assert!(settle(o).is_ok());
        let o = OptionsInput {
            access_token: Some(TokenInput::Function),
            in_browser: true,
            ..Default::default()
        };
        assert!(settle(o).is_ok());
    }

    #[test]
    fn numbers_and_styles_are_checked() {
        for (t, r) in [
            (Some(0.0), None),
            (Some(f64::NAN), None),
            (None, Some(1.5)),
            (None, Some(-1.0)),
            (None, Some(11.0)),
        ] {
            let mut o = client();
            o.timeout_ms = t;
            o.max_retries = r;
            assert!(settle(o).is_err());
        }
        let mut o = client();
        o.max_retries = Some(0.0);
        o.token_auth_style = Some("query".into());
        o.user_agent = Some("deploy-bot/1".into());
        let s = settle(o).unwrap();
        assert_eq!(s.config.retry.max_retries, 0);
        assert!(s.user_agent.ends_with(" deploy-bot/1"));
        let mut o = client();
        o.token_auth_style = Some("header".into());
        assert!(settle(o).is_err());
        let mut o = client();
        o.base_url = Some("ftp://x".into());
        assert!(settle(o).is_err());
    }
}

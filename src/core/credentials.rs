//! Who the client is and where it talks to: the credentials (an OAuth client, a token, or a
//! token function), how client credentials reach the token endpoint, and the settled
//! configuration the client loop runs with.

use crate::core::retry::RetryPolicy;
use crate::core::url::BaseUrl;

/// How client credentials travel to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAuthStyle {
    /// Form-encoded body with `grant_type=client_credentials` (RFC 6749 §4.4; default).
    Body,
    /// Query parameters, as the reference table lists them (secrets then sit in the URL).
    Query,
}

/// Where access tokens come from.
#[derive(Clone, PartialEq)]
pub enum Credentials {
    /// An OAuth client: tokens are requested, cached and renewed.
    Client {
        /// `o2c_…`.
        id: String,
        /// Secret.
        secret: String,
        /// How to send them.
        style: TokenAuthStyle,
    },
    /// A token the caller already has.
    Static(String),
    /// A function of the caller's, asked for a token before each request and after a 401.
    Provider,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Client { id, style, .. } => f
                .debug_struct("Client")
                .field("id", id)
                .field("secret", &"[redacted]")
                .field("style", style)
                .finish(),
            Credentials::Static(_) => f.write_str("Static([redacted])"),
            Credentials::Provider => f.write_str("Provider"),
        }
    }
}

/// A client's settled configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the API lives.
    pub base_url: BaseUrl,
    /// How to authenticate.
    pub credentials: Credentials,
    /// Retry settings.
    pub retry: RetryPolicy,
}

//! URL building: the base URL, path segments from untrusted strings, and the three endpoints.

use crate::core::error::{quoted, Error};

/// A validated base URL (`https://api.encore.cloud`, or one with a path prefix), kept without
/// a trailing slash so paths are appended, never replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

/// The API's default host.
pub const DEFAULT_BASE_URL: &str = "https://api.encore.cloud";

impl BaseUrl {
    /// Checks a base URL: `http` or `https`, a host, no credentials, query or fragment.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let bad =
            |why: &str| Error::validation(format!("baseUrl {} is not usable: {why}", quoted(raw)));
        let rest = if let Some(r) = raw.strip_prefix("https://") {
            r
        } else if let Some(r) = raw.strip_prefix("http://") {
            r
        } else {
            return Err(bad("it must start with https:// or http://"));
        };
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(bad("it has no host"));
        }
        if host.contains('@') {
            return Err(bad("credentials do not belong in the URL"));
        }
        if raw.contains(['?', '#']) {
            return Err(bad("it must not carry a query or fragment"));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains whitespace"));
        }
        Ok(BaseUrl(raw.trim_end_matches('/').to_owned()))
    }

    /// The URL as a string, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Scheme and host only (`https://api.encore.cloud`), for messages.
    pub fn origin(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        let host_end = self
            .0
            .get(after_scheme..)
            .and_then(|rest| rest.find('/'))
            .map_or(self.0.len(), |i| after_scheme + i);
        self.0.get(..host_end).unwrap_or(&self.0)
    }
}

/// Percent-encodes one path segment from an untrusted string. Refuses what no encoding can
/// make safe: empty values and the dot segments `.` and `..`, which URL parsers collapse even
/// when encoded.
pub fn path_segment(what: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::validation(format!("{what} is empty")));
    }
    if value == "." || value == ".." {
        return Err(Error::validation(format!(
            "{what} {} is not allowed (dot segments are collapsed by URL parsers)",
            quoted(value)
        )));
    }
    let mut out = String::with_capacity(value.len());
    percent_encode_into(&mut out, value, false);
    Ok(out)
}

/// Percent-encodes all but RFC 3986's unreserved characters; `form` writes space as `+`.
fn percent_encode_into(out: &mut String, value: &str, form: bool) {
    let hex = |n: u8| char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 });
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            b' ' if form => out.push('+'),
            _ => {
                out.push('%');
                out.push(hex(b >> 4));
                out.push(hex(b & 15));
            }
        }
    }
}

/// `s` percent-encoded (`form`: as in a form body, space as `+`).
pub fn percent_encode(s: &str, form: bool) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s, form);
    out
}

/// `application/x-www-form-urlencoded` text of `pairs`.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, k, true);
        out.push('=');
        percent_encode_into(&mut out, v, true);
    }
    out
}

/// `POST /api/oauth/token`.
pub fn token_path() -> String {
    "/api/oauth/token".to_owned()
}

/// `POST /api/apps/{app}/envs/{env}/rollouts`.
pub fn trigger_rollout_path(app_id: &str, env_name: &str) -> Result<String, Error> {
    Ok(format!(
        "/api/apps/{}/envs/{}/rollouts",
        path_segment("appId", app_id)?,
        path_segment("envName", env_name)?
    ))
}

/// `GET /api/apps/{app}/rollouts/{rollout}`.
pub fn get_rollout_path(app_id: &str, rollout_id: &str) -> Result<String, Error> {
    Ok(format!(
        "/api/apps/{}/rollouts/{}",
        path_segment("appId", app_id)?,
        path_segment("rolloutId", rollout_id)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_whole() {
        assert_eq!(path_segment("a", "my-app").unwrap(), "my-app");
        assert_eq!(
            path_segment("a", "a/b?c#d%e f").unwrap(),
            "a%2Fb%3Fc%23d%25e%20f"
        );
        assert_eq!(path_segment("a", "prød").unwrap(), "pr%C3%B8d");
        assert_eq!(path_segment("a", "..x").unwrap(), "..x");
        for bad in ["", ".", ".."] {
            let e = path_segment("appId", bad).unwrap_err();
            assert!(e.message.contains("appId"));
        }
    }

    #[test]
    fn endpoint_paths() {
        assert_eq!(
            trigger_rollout_path("my app", "prod").unwrap(),
            "/api/apps/my%20app/envs/prod/rollouts"
        );
        assert_eq!(
            get_rollout_path("a", "roll_1").unwrap(),
            "/api/apps/a/rollouts/roll_1"
        );
        assert!(get_rollout_path("a", "..").is_err());
        assert!(trigger_rollout_path("a", "").is_err());
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            BaseUrl::parse("https://proxy.example/encore/")
                .unwrap()
                .as_str(),
            "https://proxy.example/encore"
        );
        assert_eq!(
            BaseUrl::parse("https://proxy.example/encore")
                .unwrap()
                .origin(),
            "https://proxy.example"
        );
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:4000").unwrap().origin(),
            "http://127.0.0.1:4000"
        );
        for bad in [
            "",
            "api.encore.cloud",
            "ftp://x",
            "https://",
            "https://u:p@x",
            "https://x/?a=1",
            "https://x/#f",
            "https://x y",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            form_encode(&[
                ("grant_type", "client_credentials"),
                ("client_secret", "a b&c=d+é")
            ]),
            "grant_type=client_credentials&client_secret=a+b%26c%3Dd%2B%C3%A9"
        );
    }
}

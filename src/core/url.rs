//! URL building: the base URL, path segments from untrusted strings, percent- and form-encoding.
//! The resources (`crate::core::resources`) build their paths with these.

use crate::core::error::{quoted, Error};

/// A validated base URL (`https://api.encore.dev`, or one with a path prefix), kept without
/// a trailing slash so paths are appended, never replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

/// The API's default host (the vendor moved it from `api.encore.cloud`, still accepted).
pub const DEFAULT_BASE_URL: &str = "https://api.encore.dev";

/// The hosts of the real API: the current one and the one it moved from.
pub const VENDOR_API_HOSTS: [&str; 2] = ["api.encore.dev", "api.encore.cloud"];

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
        if host.as_bytes().contains(&b'@') {
            return Err(bad("credentials do not belong in the URL"));
        }
        if raw.contains(['?', '#']) {
            return Err(bad("it must not carry a query or fragment"));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains whitespace"));
        }
        let trimmed = raw.trim_end_matches('/');
        if trimmed.ends_with("/api") {
            return Err(bad(
                "it ends in /api, but every endpoint path already starts with /api (requests \
                 would go to /api/api/…): leave /api out",
            ));
        }
        Ok(BaseUrl(trimmed.to_owned()))
    }

    /// Whether this is the real Encore API (`https://api.encore.dev` or
    /// `https://api.encore.cloud`, without a path prefix).
    pub fn is_vendor_api(&self) -> bool {
        self.0
            .strip_prefix("https://")
            .is_some_and(|host| VENDOR_API_HOSTS.contains(&host))
    }

    /// The URL as a string, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Scheme and host only (`https://api.encore.cloud`), for messages.
    pub fn origin(&self) -> &str {
        let after_scheme = crate::core::text::find_str(&self.0, "://").map_or(0, |i| i + 3);
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
        let e = BaseUrl::parse("https://api.encore.dev/api").unwrap_err();
        assert!(e.message.contains("/api/api/"), "{}", e.message);
        assert!(BaseUrl::parse("https://x/apis").is_ok());
        assert!(BaseUrl::parse("https://api.encore.dev")
            .unwrap()
            .is_vendor_api());
        assert!(BaseUrl::parse("https://api.encore.cloud/")
            .unwrap()
            .is_vendor_api());
        assert!(!BaseUrl::parse("https://api.encore.dev/p")
            .unwrap()
            .is_vendor_api());
        assert!(!BaseUrl::parse("http://api.encore.dev")
            .unwrap()
            .is_vendor_api());
        assert!(!BaseUrl::parse("https://api.encore.dev.evil")
            .unwrap()
            .is_vendor_api());
        for bad in [
            "",
            "api.encore.cloud",
            "ftp://x",
            "https://",
            "https://u:p@x",
            "https://x/?a=1",
            "https://x/#f",
            "https://x y",
            "https://api.encore.dev/api",
            "https://proxy.example/encore/api/",
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

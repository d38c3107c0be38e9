//! Redirects: never followed (a redirected POST loses its body, a cross-origin redirect its
//! `Authorization`), each one an API error that says where the API now is.

use crate::core::error::{code_for_status, Error};

/// A 3xx answer: never followed (a redirected POST loses its body, a cross-origin redirect
/// its `Authorization`). Names the `Location` when the platform shows it (Node, Deno, Bun) and
/// says to set `baseUrl` to it; a browser hides both status and location (`status` 0).
pub fn redirect_error(status: u16, location: Option<&str>, path: &str) -> Error {
    let why = "the client never follows redirects (a redirected POST loses its body and a \
               redirect to another host drops Authorization)";
    let message = match location.filter(|l| !l.is_empty()) {
        Some(loc) => {
            // No query or fragment in the message: a query may carry a secret.
            let loc = loc.split(['?', '#']).next().unwrap_or_default();
            let path = path.split('?').next().unwrap_or_default();
            let base = loc
                .strip_suffix(path)
                .filter(|b| crate::core::text::find_str(b, "://").is_some());
            match base {
                Some(b) => format!(
                    "HTTP {status}: the API redirects to {loc}; {why}. If the API moved, set \
                     baseUrl to {b}"
                ),
                None => format!(
                    "HTTP {status}: the API redirects to {loc}; {why}. If the API moved, set \
                     baseUrl to where it lives now"
                ),
            }
        }
        None if status == 0 => format!(
            "the API answered with a redirect, which the browser hides (no status, no \
             location); {why}. Check baseUrl: it should point at the API itself"
        ),
        None => format!(
            "HTTP {status}: the API answered with a redirect without a location; {why}. Check \
             baseUrl"
        ),
    };
    Error::api(status, code_for_status(status).to_owned(), message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_name_the_location_and_the_base_url_to_set() {
        let e = redirect_error(
            307,
            Some("https://api.encore.dev/api/apps/a/member?client_secret=x"),
            "/api/apps/a/member",
        );
        assert_eq!(e.status, Some(307));
        assert!(
            e.message
                .contains("redirects to https://api.encore.dev/api/apps/a/member;"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("set baseUrl to https://api.encore.dev"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("client_secret"));
        let e = redirect_error(301, Some("/elsewhere"), "/api/x");
        assert!(e.message.contains("/elsewhere") && e.message.contains("where it lives now"));
        let e = redirect_error(0, None, "/api/x");
        assert_eq!(e.status, Some(0));
        assert!(e.message.contains("browser hides"), "{}", e.message);
        assert!(redirect_error(302, None, "/x")
            .message
            .contains("without a location"));
    }
}

//! The app id from an `encore.app` file, the file Encore's own CLI reads (`pkg/appfile` in
//! encoredev/encore). It is HuJSON, as Encore writes it: JSON with `//` and `/* */` comments
//! and trailing commas. Only the top-level `"id"` is read; the rest is checked to be
//! well-formed and skipped.

/// The `id` of the app file's text: `Ok(None)` when the file has none or an empty one (an app
/// not linked to Encore Cloud), an error when the file is not HuJSON.
pub fn app_id(text: &str) -> Result<Option<String>, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.skip_space()?;
    p.expect(b'{')?;
    let mut id = None;
    loop {
        p.skip_space()?;
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.skip_space()?;
        p.expect(b':')?;
        p.skip_space()?;
        if key == "id" && p.peek() == Some(b'"') {
            id = Some(p.string()?);
        } else {
            p.value(0)?;
        }
        p.skip_space()?;
        if !p.eat(b',') {
            p.skip_space()?;
            p.expect(b'}')?;
            break;
        }
    }
    p.skip_space()?;
    if p.i < p.s.len() {
        return Err(p.error("text after the closing brace"));
    }
    Ok(id.filter(|s| !s.is_empty()))
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn error(&self, what: &str) -> String {
        let line = self
            .s
            .get(..self.i)
            .map_or(1, |s| s.iter().filter(|b| **b == b'\n').count() + 1);
        format!("encore.app is not valid HuJSON: {what} on line {line}")
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", char::from(b))))
        }
    }

    /// Whitespace and comments.
    fn skip_space(&mut self) -> Result<(), String> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    while !(self.peek() == Some(b'*') && self.s.get(self.i + 1) == Some(&b'/')) {
                        if self.peek().is_none() {
                            return Err(self.error("unterminated comment"));
                        }
                        self.i += 1;
                    }
                    self.i += 2;
                }
                _ => return Ok(()),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or_else(|| self.error("bad escape"))?;
                    self.i += 1;
                    let c = match e {
                        b'"' | b'\\' | b'/' => char::from(e),
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).unwrap_or_default();
                            let code = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .ok_or_else(|| self.error("bad \\u escape"))?;
                            self.i += 4;
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return Err(self.error("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                b if b < 0x20 => return Err(self.error("control character in a string")),
                b => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("a string is not UTF-8"))
    }

    /// Skips one value (with trailing commas allowed in objects and arrays).
    fn value(&mut self, depth: u32) -> Result<(), String> {
        if depth > 64 {
            return Err(self.error("nested too deeply"));
        }
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(open @ (b'{' | b'[')) => {
                self.i += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                loop {
                    self.skip_space()?;
                    if self.eat(close) {
                        return Ok(());
                    }
                    if open == b'{' {
                        self.string()?;
                        self.skip_space()?;
                        self.expect(b':')?;
                        self.skip_space()?;
                    }
                    self.value(depth + 1)?;
                    self.skip_space()?;
                    if !self.eat(b',') {
                        return self.expect(close);
                    }
                }
            }
            Some(b) if b == b'-' || b.is_ascii_alphanumeric() => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                {
                    self.i += 1;
                }
                let word = self.s.get(start..self.i).unwrap_or_default();
                let number = word
                    .first()
                    .is_some_and(|b| *b == b'-' || b.is_ascii_digit());
                if number || matches!(word, b"true" | b"false" | b"null") {
                    Ok(())
                } else {
                    Err(self.error("unexpected word"))
                }
            }
            _ => Err(self.error("expected a value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_id_of_hujson_as_encore_writes_it() {
        let text = r#"// Encore app file
{
	// The app's id on Encore Cloud.
	"id":   "my-app-x7k2",
	"lang": "typescript", /* trailing commas are fine */
	"global_cors": { "allow_headers": ["X-Foo",], },
	"build": {"docker": {"bundle_source": true}, "n": -1.5e3, "z": null},
}
"#;
        assert_eq!(app_id(text), Ok(Some("my-app-x7k2".into())));
        assert_eq!(app_id(r#"{"id": "a\u0062c"}"#), Ok(Some("abc".into())));
    }

    #[test]
    fn an_unlinked_app_has_no_id() {
        assert_eq!(app_id(r#"{"id": ""}"#), Ok(None));
        assert_eq!(app_id(r#"{"lang": "go"}"#), Ok(None));
        assert_eq!(app_id("{}"), Ok(None));
        // A nested "id" is not the app's.
        assert_eq!(app_id(r#"{"build": {"id": "nested"}}"#), Ok(None));
    }

    #[test]
    fn broken_files_are_errors_naming_the_line() {
        for bad in [
            "",
            "[]",
            "{\"id\": \"a\"",
            "{\"id\" \"a\"}",
            "{\"id\": \"a\"} x",
            "{\n\"id\": bogus}",
            "{/* open",
            "{\"a\": [1 2]}",
        ] {
            let e = app_id(bad).unwrap_err();
            assert!(
                e.starts_with("encore.app is not valid HuJSON"),
                "{bad}: {e}"
            );
        }
        assert!(app_id("{\n\n\"id\": bogus}")
            .unwrap_err()
            .ends_with("line 3"));
    }
}

//! Byte-loop text search for the core's few substring needs (issue 12): `str`'s pattern
//! searcher (`StrSearcher`, `TwoWaySearcher`) and the str-slice panic formatting it keeps
//! alive cost ~5 KB gzip of wasm; these loops cost almost nothing. Use them instead of
//! `str::find`/`contains`/`replace`/`split_once` with a `&str` (or a non-constant `char`)
//! pattern on the wasm path.

/// Byte offset of the first `needle` in `hay`, as `str::find` with a `&str`, by a byte loop
/// (issue 12: no `str` pattern searcher in the wasm module). A match of valid UTF-8 in valid
/// UTF-8 always starts on a character boundary.
pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// `hay` with every `needle` (non-empty; an empty one changes nothing) replaced by `with`,
/// left to right without overlaps, as `str::replace` does.
pub fn replace_str(hay: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(i) = find_str(rest, needle).filter(|_| !needle.is_empty()) {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(with);
        rest = rest.get(i + needle.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_searches_agree_with_std() {
        let hays = [
            "",
            "a",
            "aaaa",
            "x://y://z",
            "héllo wörld ö",
            "ööö",
            "abcab",
            "Sun, 06 Nov",
        ];
        let needles = [
            "a", "aa", "://", "ö", "öö", "wörld", "ab", ", ", "missing", "abcabc",
        ];
        for hay in hays {
            assert_eq!(find_str(hay, ""), hay.find(""));
            assert_eq!(
                replace_str(hay, "", "[x]"),
                hay,
                "an empty needle changes nothing"
            );
            for needle in needles {
                assert_eq!(
                    find_str(hay, needle),
                    hay.find(needle),
                    "{hay:?} {needle:?}"
                );
                assert_eq!(
                    replace_str(hay, needle, "[r]"),
                    hay.replace(needle, "[r]"),
                    "{hay:?} {needle:?}"
                );
            }
        }
    }
}

//! Durations on the command line: `90s`, `5m`, `1h30m`, `500ms`; a bare number means seconds.

use crate::core::options::MAX_DELAY_MS;

/// Parses a duration into milliseconds. `what` names the flag in the error.
pub fn parse(what: &str, text: &str) -> Result<f64, String> {
    let bad = || {
        format!(
            "{what} {} is not a duration: use 90s, 5m, 1h30m or a number of seconds",
            crate::core::error::quoted(text)
        )
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    let ms = if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        number(t).ok_or_else(bad)? * 1000.0
    } else {
        let mut total = 0.0;
        let mut rest = t;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let n = rest.get(..digits).and_then(number).ok_or_else(bad)?;
            let tail = rest.get(digits..).unwrap_or_default();
            let unit_len = tail
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(tail.len());
            let factor = match tail.get(..unit_len) {
                Some("h") => 3_600_000.0,
                Some("m") => 60_000.0,
                Some("s") => 1000.0,
                Some("ms") => 1.0,
                _ => return Err(bad()),
            };
            total += n * factor;
            rest = tail.get(unit_len..).unwrap_or_default();
        }
        total
    };
    if ms > MAX_DELAY_MS {
        return Err(format!("{what} {text} is too long (at most 24 days)"));
    }
    Ok(ms.round())
}

/// A plain decimal number (`12`, `1.5`); no signs, exponents or empty parts.
fn number(s: &str) -> Option<f64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || s.ends_with('.') || frac.contains('.') {
        return None;
    }
    let mut v = 0.0;
    for b in whole.bytes().chain(frac.bytes()) {
        v = v * 10.0 + f64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
    }
    Some(v / 10f64.powi(frac.len() as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds() {
        assert_eq!(parse("--timeout", "90s"), Ok(90_000.0));
        assert_eq!(parse("--timeout", "5m"), Ok(300_000.0));
        assert_eq!(parse("--timeout", "1h30m"), Ok(5_400_000.0));
        assert_eq!(parse("--timeout", "1h30m15s"), Ok(5_415_000.0));
        assert_eq!(parse("--timeout", "45"), Ok(45_000.0));
        assert_eq!(parse("--timeout", "1.5"), Ok(1500.0));
        assert_eq!(parse("--interval", "250ms"), Ok(250.0));
        assert_eq!(parse("--interval", "0"), Ok(0.0));
    }

    #[test]
    fn nonsense_is_refused_with_the_flag_named() {
        for bad in [
            "", "m", "5x", "-5", "1e3", "5 m", "1..2", "1.", ".5", "h1", "5mm",
        ] {
            let e = parse("--timeout", bad).unwrap_err();
            assert!(e.starts_with("--timeout "), "{bad}: {e}");
        }
        assert!(parse("--timeout", "100000h")
            .unwrap_err()
            .contains("too long"));
    }
}

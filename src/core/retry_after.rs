//! The server's requested wait: `Retry-After` (delta-seconds or an HTTP date in any of its
//! three forms) and `retry-after-ms`.

/// Parses `Retry-After` (delta-seconds or an HTTP date) or `retry-after-ms` into milliseconds
/// from `now_ms`. `retry-after-ms` wins when both are sent; nonsense yields `None`.
pub fn parse_retry_after(
    retry_after: Option<&str>,
    retry_after_ms: Option<&str>,
    now_ms: f64,
) -> Option<f64> {
    if let Some(ms) = retry_after_ms.and_then(|v| decimal(v.trim())) {
        return Some(ms);
    }
    let v = retry_after?.trim();
    if let Some(secs) = decimal(v) {
        return Some(secs * 1000.0);
    }
    http_date_ms(v).map(|at| (at - now_ms).max(0.0))
}

/// A non-negative decimal (`120`, `1.5`): digits, optionally a dot and more digits. Anything
/// else (signs, exponents, `NaN`, more than 15 integer digits) is `None`.
fn decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 15 || !digits(int) || !digits(frac) || s.ends_with('.') {
        return None;
    }
    let mut v = 0f64;
    for b in int.bytes() {
        v = v * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in frac.bytes().take(9) {
        v += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Some(v)
}

/// Parses an HTTP date in any of the three forms RFC 9110 §5.6.7 requires recipients to
/// accept — IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) — into epoch
/// milliseconds.
pub fn http_date_ms(v: &str) -> Option<f64> {
    let after_comma = crate::core::text::find_str(v, ", ").and_then(|i| v.get(i + 2..));
    let (day, mon, year, time) = match after_comma {
        Some(rest) => {
            let rest = rest.strip_suffix(" GMT")?;
            let (date, time) = rest.rsplit_once(' ')?;
            let parts: Vec<&str> = if date.as_bytes().contains(&b'-') {
                date.split('-').collect()
            } else {
                date.split(' ').collect()
            };
            let [day, mon, year] = parts.as_slice() else {
                return None;
            };
            (*day, *mon, *year, time)
        }
        None => {
            // asctime: "Sun Nov  6 08:49:37 1994" (a single-digit day is space-padded).
            let parts: Vec<&str> = v.split(' ').filter(|p| !p.is_empty()).collect();
            let [_, mon, day, time, year] = parts.as_slice() else {
                return None;
            };
            if year.len() != 4 || day.len() > 2 {
                return None;
            }
            (*day, *mon, *year, *time)
        }
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == mon)? + 1;
    if !year.bytes().all(|b| b.is_ascii_digit()) || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut year: i64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let day: u32 = day.parse().ok()?;
    let iso = format!("{year:04}-{month:02}-{day:02}T{time}Z");
    crate::core::timestamp::Timestamp::parse(&iso)
        .ok()
        .map(|t| t.unix_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_formats() {
        let now = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(now, 784_111_777_000.0);
        assert_eq!(parse_retry_after(Some("3"), None, now), Some(3000.0));
        assert_eq!(parse_retry_after(Some(" 1.5 "), None, now), Some(1500.0));
        assert_eq!(
            parse_retry_after(Some("Sun, 06 Nov 1994 08:49:47 GMT"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sunday, 06-Nov-94 08:49:47 GMT"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun, 06 Nov 1994 08:00:00 GMT"), None, now),
            Some(0.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun Nov  6 08:49:47 1994"), None, now),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after(Some("Sun Nov 16 08:49:37 1994"), None, now),
            Some(864_000_000.0)
        );
        assert_eq!(parse_retry_after(Some("5"), Some("250"), now), Some(250.0));
        for bad in [
            "",
            "-1",
            "soon",
            "NaN",
            "inf",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov +6 08:49:37 1994",
            "Sun Foo  6 08:49:37 1994",
            "Sun Nov  6 08:49:37",
        ] {
            assert_eq!(parse_retry_after(Some(bad), None, now), None, "{bad}");
        }
        assert_eq!(parse_retry_after(None, None, now), None);
    }
}

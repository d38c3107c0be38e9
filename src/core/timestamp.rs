//! RFC 3339 timestamps as the Encore API writes them (Go's `time.RFC3339Nano`):
//! `2026-03-18T09:41:07.123456789Z`, 0–9 fraction digits, `Z` or a numeric offset.
//!
//! Parsed by hand (no date crate): a timestamp is a point in time, kept as whole seconds since
//! the Unix epoch plus nanoseconds, so no precision is lost before it reaches JavaScript.

use std::fmt;

/// A point in time, UTC, with nanosecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    pub unix_seconds: i64,
    /// Nanoseconds within that second, 0..1_000_000_000.
    pub nanos: u32,
}

/// A timestamp field of a model: `Date | null` in JavaScript (the TypeScript type of that name
/// is declared next to the options, `src/wasm/types.rs`). `None` for absent, `null` and Go's
/// zero time.
pub type DateOrNull = Option<Timestamp>;

/// `0001-01-01T00:00:00Z` in seconds since the Unix epoch: Go's zero time.
pub const GO_ZERO_UNIX_SECONDS: i64 = -62_135_596_800;

/// Why a string is not an RFC 3339 timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampError(pub &'static str);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid RFC 3339 timestamp: {}", self.0)
    }
}

impl Timestamp {
    /// Parses an RFC 3339 date-time (`T` or `t` or a space between date and time, `Z`/`z` or
    /// `±hh:mm` offset, up to 9 fraction digits).
    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return Err(TimestampError("too short"));
        }
        let num = |from: usize, len: usize| -> Result<i64, TimestampError> {
            let mut v: i64 = 0;
            for &c in b.get(from..from + len).ok_or(TimestampError("truncated"))? {
                if !c.is_ascii_digit() {
                    return Err(TimestampError("expected a digit"));
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Ok(v)
        };
        let sep = |at: usize, allowed: &[u8]| -> Result<(), TimestampError> {
            match b.get(at) {
                Some(c) if allowed.contains(c) => Ok(()),
                _ => Err(TimestampError("unexpected separator")),
            }
        };
        let year = num(0, 4)?;
        sep(4, b"-")?;
        let month = num(5, 2)?;
        sep(7, b"-")?;
        let day = num(8, 2)?;
        sep(10, b"Tt ")?;
        let hour = num(11, 2)?;
        sep(13, b":")?;
        let minute = num(14, 2)?;
        sep(16, b":")?;
        let second = num(17, 2)?;
        if !(1..=12).contains(&month) {
            return Err(TimestampError("month out of range"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(TimestampError("day out of range"));
        }
        // RFC 3339 allows a leap second (60); it is folded into the next second.
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TimestampError("time out of range"));
        }
        let mut i = 19;
        let mut nanos: u32 = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(c - b'0');
                }
                i += 1;
            }
            let digits = i - start;
            if digits == 0 {
                return Err(TimestampError("empty fraction"));
            }
            if digits > 9 {
                return Err(TimestampError("more than 9 fraction digits"));
            }
            for _ in digits..9 {
                nanos *= 10;
            }
        }
        let offset_seconds = match b.get(i) {
            Some(b'Z') | Some(b'z') => {
                i += 1;
                0
            }
            Some(&c @ (b'+' | b'-')) => {
                let oh = num(i + 1, 2)?;
                sep(i + 3, b":")?;
                let om = num(i + 4, 2)?;
                if oh > 23 || om > 59 {
                    return Err(TimestampError("offset out of range"));
                }
                i += 6;
                let o = oh * 3600 + om * 60;
                if c == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return Err(TimestampError("missing time zone offset")),
        };
        if i != b.len() {
            return Err(TimestampError("trailing characters"));
        }
        let days = days_from_civil(year, month, day);
        let unix_seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
        Ok(Timestamp {
            unix_seconds,
            nanos,
        })
    }

    /// Whether this is Go's zero `time.Time`, `0001-01-01T00:00:00Z`: what the Go API sends for
    /// a time that was never set (an invitation never accepted).
    pub fn is_go_zero(&self) -> bool {
        self.unix_seconds == GO_ZERO_UNIX_SECONDS && self.nanos == 0
    }

    /// The instant `ms` milliseconds after the epoch (as a JavaScript `Date` holds it).
    pub fn from_unix_millis(ms: f64) -> Option<Self> {
        if !ms.is_finite() || ms.abs() > 8.64e15 {
            return None;
        }
        let secs = (ms / 1000.0).floor();
        let nanos = ((ms - secs * 1000.0) * 1_000_000.0)
            .round()
            .clamp(0.0, 999_999_999.0);
        Some(Timestamp {
            unix_seconds: secs as i64,
            nanos: nanos as u32,
        })
    }

    /// Milliseconds since the epoch, as JavaScript's `Date` counts them (sub-millisecond
    /// digits are kept as a fraction; `Date` itself truncates them).
    pub fn unix_millis(&self) -> f64 {
        self.unix_seconds as f64 * 1000.0 + f64::from(self.nanos) / 1_000_000.0
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> f64 {
        Timestamp::parse(s).unwrap().unix_millis()
    }

    #[test]
    fn parses_go_nanosecond_timestamps() {
        let t = Timestamp::parse("2026-03-18T09:41:07.123456789Z").unwrap();
        assert_eq!(t.unix_seconds, 1_773_826_867);
        assert_eq!(t.nanos, 123_456_789);
    }

    #[test]
    fn fraction_of_zero_to_nine_digits() {
        assert_eq!(ms("1970-01-01T00:00:00Z"), 0.0);
        assert_eq!(ms("1970-01-01T00:00:00.5Z"), 500.0);
        assert_eq!(ms("1970-01-01T00:00:00.25Z"), 250.0);
        assert_eq!(ms("1970-01-01T00:00:01.000000001Z"), 1000.000001);
        assert!(Timestamp::parse("1970-01-01T00:00:00.1234567891Z").is_err());
        assert!(Timestamp::parse("1970-01-01T00:00:00.Z").is_err());
    }

    #[test]
    fn offsets_are_applied() {
        assert_eq!(ms("2026-03-18T11:41:07+02:00"), ms("2026-03-18T09:41:07Z"));
        assert_eq!(ms("2026-03-18T04:11:07-05:30"), ms("2026-03-18T09:41:07Z"));
        assert_eq!(ms("2026-03-18T09:41:07+00:00"), ms("2026-03-18T09:41:07z"));
    }

    #[test]
    fn matches_known_epochs() {
        // Values from JavaScript's Date.parse.
        assert_eq!(ms("2000-02-29T12:00:00Z"), 951_825_600_000.0);
        assert_eq!(ms("1969-12-31T23:59:59Z"), -1000.0);
        assert_eq!(ms("2100-03-01T00:00:00Z"), 4_107_542_400_000.0);
    }

    #[test]
    fn go_zero_time_is_recognised() {
        assert!(Timestamp::parse("0001-01-01T00:00:00Z")
            .unwrap()
            .is_go_zero());
        assert!(!Timestamp::parse("0001-01-01T00:00:00.000000001Z")
            .unwrap()
            .is_go_zero());
        assert!(!Timestamp::parse("0001-01-01T00:00:01Z")
            .unwrap()
            .is_go_zero());
        assert!(!Timestamp::parse("1970-01-01T00:00:00Z")
            .unwrap()
            .is_go_zero());
    }

    #[test]
    fn from_millis_round_trips() {
        for ms in [0.0, 1.5, -1000.0, 1_773_826_867_123.0] {
            assert_eq!(Timestamp::from_unix_millis(ms).unwrap().unix_millis(), ms);
        }
        assert!(Timestamp::from_unix_millis(f64::NAN).is_none());
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2026-03-18",
            "2026-03-18T09:41:07",
            "2026-13-18T09:41:07Z",
            "2026-02-29T09:41:07Z",
            "2026-03-18T24:41:07Z",
            "2026-03-18T09:41:07+2:00",
            "2026-03-18T09:41:07Zjunk",
            "2026-03-18X09:41:07Z",
            "２026-03-18T09:41:07Z",
            "2026-03-18T09:41:07+24:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

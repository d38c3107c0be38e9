//! Base64url without padding (RFC 4648 §5), decoding only: the `v1` macs of a signature header.
//!
//! Strict: only the url-safe alphabet, no `=` padding, no whitespace, and the unused low bits
//! of the last character must be zero (one canonical spelling per mac).

/// The 6-bit value of one alphabet character.
fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes `s`; `None` when it is not canonical unpadded base64url.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    // A lone trailing character carries only 6 bits: never a whole byte.
    if b.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3 + 2);
    for chunk in b.chunks(4) {
        let mut acc: u32 = 0;
        for &c in chunk {
            acc = (acc << 6) | sextet(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => {
                // 18 bits: two bytes and 2 unused bits.
                if acc & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]);
            }
            2 => {
                // 12 bits: one byte and 4 unused bits.
                if acc & 0b1111 != 0 {
                    return None;
                }
                out.push((acc >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_rfc4648_vectors_without_padding() {
        // RFC 4648 §10 test vectors, padding removed.
        for (enc, dec) in [
            ("", ""),
            ("Zg", "f"),
            ("Zm8", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg", "foob"),
            ("Zm9vYmE", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(decode(enc).as_deref(), Some(dec.as_bytes()), "{enc}");
        }
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode("__-_").unwrap(), vec![0xff, 0xff, 0xbf]);
        assert_eq!(decode("+/8"), None, "standard alphabet refused");
    }

    #[test]
    fn refuses_padding_junk_and_non_canonical_spellings() {
        for bad in [
            "Zg==", "Zm8=", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zh", "Zm9", "é", "Zm.v",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert!(decode("Zm8").is_some());
    }

    #[test]
    fn round_trips_every_byte() {
        // Encoded by Node: Buffer.from([...Array(256).keys()]).toString("base64url").
        let all: Vec<u8> = (0..=255).collect();
        let enc = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq-wsbKztLW2t7i5uru8vb6_wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t_g4eLj5OXm5-jp6uvs7e7v8PHy8_T19vf4-fr7_P3-_w";
        assert_eq!(decode(enc).unwrap(), all);
    }
}

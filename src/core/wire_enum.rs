//! String enums of the wire (statuses, conclusions, roles): [`string_enum!`](crate::string_enum).
//!
//! The vendor documents that more values may be added (its webhooks already use others), so
//! every enum has an `Unknown` variant that keeps the value as sent: decoding never fails on an
//! unknown value and the caller sees it unchanged. TypeScript types list the documented values.

/// Declares a wire string enum with an `Unknown(String)` variant, its `KNOWN` values,
/// `as_str`/`from_wire`, `Display`, its TypeScript type and its [`Field`](crate::core::model::Field)
/// decoding (a string; unknown values pass through).
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, ts = $ts:literal { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(type = $ts))]
        pub enum $name {
            $($(#[$vm])* $variant,)+
            /// A value this version does not know, kept exactly as the server sent it.
            Unknown(String),
        }

        impl $name {
            /// Every documented wire value, in order.
            pub const KNOWN: &'static [&'static str] = &[$($s),+];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $s,)+
                    Self::Unknown(s) => s,
                }
            }

            /// Maps a wire value, keeping unknown ones.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($s => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::core::model::Field for $name {
            fn from_json<J: $crate::core::json::Json>(
                v: &J,
                path: &$crate::core::model::Path<'_>,
            ) -> Result<Self, String> {
                <String as $crate::core::model::Field>::from_json(v, path).map(|s| Self::from_wire(&s))
            }
        }

    };
}

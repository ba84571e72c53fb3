//! Ids and phone numbers that the API sends as integers or strings.
//!
//! Real installations send `123` on one page and `"123"` on another, and
//! phone numbers as `49123456789` or `"+49190332332"`. These types accept
//! both, keep the original JSON representation (so serializing gives back
//! what the server sent, leading zeros and `+` included), and compare by
//! their text so `123` and `"123"` are the same id.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! flexible_scalar {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub enum $name {
            /// Sent as a JSON number.
            Number(serde_json::Number),
            /// Sent as a JSON string.
            Text(String),
        }

        impl $name {
            /// The value as text, the way it is compared and put into URLs.
            pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
                match self {
                    Self::Number(n) => std::borrow::Cow::Owned(n.to_string()),
                    Self::Text(s) => std::borrow::Cow::Borrowed(s),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::Number(n) => fmt::Display::fmt(n, f),
                    Self::Text(s) => f.write_str(s),
                }
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    (Self::Text(a), Self::Text(b)) => a == b,
                    _ => self.as_text() == other.as_text(),
                }
            }
        }
        impl Eq for $name {}

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.as_text().hash(state)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Number(n) => n.serialize(s),
                    Self::Text(t) => s.serialize_str(t),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an integer or a string")
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name::Number(v.into()))
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        Ok($name::Number(v.into()))
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<$name, E> {
                        serde_json::Number::from_f64(v)
                            .map($name::Number)
                            .ok_or_else(|| E::custom("id is not a finite number"))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::Text(v.to_owned()))
                    }
                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name::Text(v))
                    }
                    // serde_json hands over a number beyond 64 bits (kept
                    // exactly, with its `arbitrary_precision` feature) as a
                    // one-entry map; `Number` knows how to read it back.
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        serde_json::Number::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                            .map($name::Number)
                            .map_err(|_: A::Error| {
                                serde::de::Error::custom("expected an integer or a string, found an object")
                            })
                    }
                }
                d.deserialize_any(V)
            }
        }

        impl From<&str> for $name {
            fn from(v: &str) -> Self {
                Self::Text(v.to_owned())
            }
        }
        impl From<String> for $name {
            fn from(v: String) -> Self {
                Self::Text(v)
            }
        }
        impl From<&String> for $name {
            fn from(v: &String) -> Self {
                Self::Text(v.clone())
            }
        }
        flexible_scalar!(@ints $name: i32, i64, u32, u64, usize);
    };
    (@ints $name:ident: $($t:ty),*) => {
        $(impl From<$t> for $name {
            fn from(v: $t) -> Self {
                Self::Number((v as i128).try_into().map(|n: i64| n.into()).unwrap_or_else(|_| (v as u64).into()))
            }
        })*
    };
}

flexible_scalar!(
    /// An id that the API sends as an integer or a string (`83771` or
    /// `"83771"`). Equality and hashing use the text, so both forms are the
    /// same id; serialization gives back the form the server sent.
    FlexibleId
);

flexible_scalar!(
    /// A phone number sent as an integer (`49123456789`) or a string
    /// (`"+49190332332"`), kept exactly as sent.
    Phone
);

impl std::str::FromStr for FlexibleId {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::Text(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_and_string_are_the_same_id() {
        let a: FlexibleId = serde_json::from_str("123").unwrap();
        let b: FlexibleId = serde_json::from_str("\"123\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, FlexibleId::from(123));
        assert_eq!(serde_json::to_string(&a).unwrap(), "123");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"123\"");
    }

    #[test]
    fn text_keeps_leading_zeros_and_plus() {
        let p: Phone = serde_json::from_str("\"+4901234\"").unwrap();
        assert_eq!(p.to_string(), "+4901234");
        let id: FlexibleId = serde_json::from_str("\"007\"").unwrap();
        assert_ne!(id, FlexibleId::from(7));
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"007\"");
    }

    #[test]
    fn large_unsigned_ids_survive() {
        let id: FlexibleId = serde_json::from_str("18446744073709551615").unwrap();
        assert_eq!(id.to_string(), "18446744073709551615");
        assert_eq!(
            FlexibleId::from(u64::MAX).to_string(),
            "18446744073709551615"
        );
    }
}

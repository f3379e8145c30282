//! A small serde `Deserializer` over JavaScript values, for the bundle's sake.
//!
//! `serde-wasm-bindgen` does the same job, but its error messages format every unexpected
//! value, which links float formatting and larger per-type code into the bundle. Here an error
//! carries no message: callers map any failure to a typed error of their own anyway.

use std::cell::RefCell;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Newtype name that requests the JavaScript value itself, see [`JsonValue`].
const KEEP_JS_VALUE: &str = "twitch_wasm_auth::JsonValue";

/// Maximum integer a JavaScript number represents exactly, 2^53.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A value that is not of the expected shape.
#[derive(Debug)]
pub(crate) struct Invalid;

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid value")
    }
}

impl std::error::Error for Invalid {}

// Every constructor is overridden: serde's defaults build a formatted message, and only
// referencing the formatting of an unexpected float links float formatting into the bundle.
impl de::Error for Invalid {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        Invalid
    }

    fn invalid_type(_unexpected: de::Unexpected<'_>, _expected: &dyn de::Expected) -> Self {
        Invalid
    }

    fn invalid_value(_unexpected: de::Unexpected<'_>, _expected: &dyn de::Expected) -> Self {
        Invalid
    }

    fn invalid_length(_length: usize, _expected: &dyn de::Expected) -> Self {
        Invalid
    }

    fn unknown_variant(_variant: &str, _expected: &'static [&'static str]) -> Self {
        Invalid
    }

    fn unknown_field(_field: &str, _expected: &'static [&'static str]) -> Self {
        Invalid
    }

    fn missing_field(_field: &'static str) -> Self {
        Invalid
    }

    fn duplicate_field(_field: &'static str) -> Self {
        Invalid
    }
}

/// Converts a JavaScript value (as `JSON.parse` returns it) into `T`.
pub(crate) fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, Invalid> {
    T::deserialize(Deserializer(value))
}

thread_local! {
    /// JavaScript values handed from [`Deserializer`] to [`JsonValue`] by index.
    static KEPT: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
}

/// Any JSON value, kept as the JavaScript value `JSON.parse` made, without conversion.
pub(crate) struct JsonValue(pub(crate) JsValue);

impl<'de> de::Deserialize<'de> for JsonValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeptVisitor;

        impl Visitor<'_> for KeptVisitor {
            type Value = JsonValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JavaScript value")
            }

            fn visit_u64<E: de::Error>(self, index: u64) -> Result<JsonValue, E> {
                let value = KEPT.with(|kept| kept.borrow_mut().pop());
                match value {
                    Some(value) if index == 0 => Ok(JsonValue(value)),
                    _ => Err(E::custom("no kept value")),
                }
            }
        }

        deserializer.deserialize_newtype_struct(KEEP_JS_VALUE, KeptVisitor)
    }
}

struct Deserializer(JsValue);

impl<'de> de::Deserializer<'de> for Deserializer {
    type Error = Invalid;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        let value = self.0;

        if value.is_null() || value.is_undefined() {
            return visitor.visit_unit();
        }
        if let Some(flag) = value.as_bool() {
            return visitor.visit_bool(flag);
        }
        if let Some(number) = value.as_f64() {
            let whole = number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER;
            return match (whole, number >= 0.0) {
                (true, true) => visitor.visit_u64(number as u64),
                (true, false) => visitor.visit_i64(number as i64),
                (false, _) => visitor.visit_f64(number),
            };
        }
        if let Some(text) = value.as_string() {
            return visitor.visit_string(text);
        }
        if js_sys::Array::is_array(&value) {
            let array: js_sys::Array = value.unchecked_into();
            return visitor.visit_seq(Elements { array, index: 0 });
        }
        if value.is_object() {
            let object: js_sys::Object = value.unchecked_into();
            let keys = js_sys::Object::keys(&object);
            return visitor.visit_map(Fields {
                object,
                keys,
                index: 0,
                pending: None,
            });
        }
        Err(Invalid)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        // Only unit variants written as strings occur in this crate's types.
        let name = self.0.as_string().ok_or(Invalid)?;
        visitor.visit_enum(name.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        if name == KEEP_JS_VALUE {
            KEPT.with(|kept| kept.borrow_mut().push(self.0));
            return visitor.visit_u64(0);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The elements of an array.
struct Elements {
    array: js_sys::Array,
    index: u32,
}

impl<'de> de::SeqAccess<'de> for Elements {
    type Error = Invalid;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Invalid> {
        if self.index >= self.array.length() {
            return Ok(None);
        }
        let element = self.array.get(self.index);
        self.index += 1;
        seed.deserialize(Deserializer(element)).map(Some)
    }
}

/// The own enumerable properties of an object.
struct Fields {
    object: js_sys::Object,
    keys: js_sys::Array,
    index: u32,
    pending: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Invalid;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Invalid> {
        if self.index >= self.keys.length() {
            return Ok(None);
        }
        let key = self.keys.get(self.index);
        self.index += 1;

        let value = js_sys::Reflect::get(&self.object, &key).map_err(|_| Invalid)?;
        self.pending = Some(value);
        let name = key.as_string().ok_or(Invalid)?;
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Invalid> {
        let value = self.pending.take().ok_or(Invalid)?;
        seed.deserialize(Deserializer(value))
    }
}

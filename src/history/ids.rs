//! Commit ids in serialized records: hex text in human-readable formats (JSON), the raw bytes
//! in binary ones (the history cache), so the cache neither stores nor validates hex.

use gix::ObjectId;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `#[serde(with = "ids::one")]` for an [`ObjectId`].
pub(crate) mod one {
    use super::*;

    pub fn serialize<S: Serializer>(id: &ObjectId, s: S) -> Result<S::Ok, S::Error> {
        match s.is_human_readable() {
            true => s.collect_str(id),
            false => s.serialize_bytes(id.as_bytes()),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
        match d.is_human_readable() {
            true => d.deserialize_str(IdVisitor),
            false => d.deserialize_bytes(IdVisitor),
        }
    }
}

/// `#[serde(with = "ids::many")]` for a `Vec<ObjectId>`.
pub(crate) mod many {
    use super::*;

    pub fn serialize<S: Serializer>(ids: &[ObjectId], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ids.iter().map(Id))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ObjectId>, D::Error> {
        let ids = Vec::<OwnedId>::deserialize(d)?;
        Ok(ids.into_iter().map(|id| id.0).collect())
    }
}

#[derive(Serialize)]
struct Id<'a>(#[serde(with = "one")] &'a ObjectId);

#[derive(Deserialize)]
struct OwnedId(#[serde(with = "one")] ObjectId);

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = ObjectId;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a commit id")
    }

    fn visit_str<E: de::Error>(self, hex: &str) -> Result<ObjectId, E> {
        ObjectId::from_hex(hex.as_bytes()).map_err(E::custom)
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<ObjectId, E> {
        gix::hash::oid::try_from_bytes(bytes)
            .map(ToOwned::to_owned)
            .map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Record {
        #[serde(with = "one")]
        id: ObjectId,
        #[serde(with = "many")]
        parents: Vec<ObjectId>,
    }

    fn record() -> Record {
        let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).expect("hex");
        Record {
            id: id("0123456789abcdef0123456789abcdef01234567"),
            parents: vec![
                id("89abcdef0123456789abcdef0123456789abcdef"),
                id("fedcba9876543210fedcba9876543210fedcba98"),
            ],
        }
    }

    #[test]
    fn json_shows_hex_and_reads_it_back() {
        let json = serde_json::to_string(&record()).expect("json");
        assert_eq!(
            json,
            r#"{"id":"0123456789abcdef0123456789abcdef01234567","parents":["89abcdef0123456789abcdef0123456789abcdef","fedcba9876543210fedcba9876543210fedcba98"]}"#
        );
        assert_eq!(
            serde_json::from_str::<Record>(&json).expect("read"),
            record()
        );
        assert!(serde_json::from_str::<Record>(r#"{"id":"xyz","parents":[]}"#).is_err());
    }

    #[test]
    fn postcard_stores_raw_bytes_and_reads_them_back() {
        let bytes = postcard::to_stdvec(&record()).expect("encode");
        // A length byte and 20 bytes per id, plus the parents' count.
        assert_eq!(bytes.len(), 1 + 20 + 1 + 2 * 21);
        assert_eq!(
            postcard::from_bytes::<Record>(&bytes).expect("decode"),
            record()
        );
        assert!(postcard::from_bytes::<Record>(&bytes[..10]).is_err());
    }
}

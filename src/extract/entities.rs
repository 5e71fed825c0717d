//! Named entities. Placeholder types until the tagger lands (same API).

/// A kind of named entity.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Misc,
}

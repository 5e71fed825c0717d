//! The four kinds of named entity, and [`ByKind`], one value per kind.
//!
//! Fields, filters, counts, columns and printers each hold something per
//! kind; indexing a [`ByKind`] by [`EntityKind`] keeps the list of kinds,
//! their order and their names in this one place.

use std::ops::{Index, IndexMut};

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a named entity.
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

impl EntityKind {
    /// Every kind, in the order lede lists them (fields, JSON, tables).
    pub const ALL: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Org, EntityKind::Place, EntityKind::Misc];

    /// The kind's name in output and options (`person`, `org`…); the same
    /// as its serde name.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Misc => "misc",
        }
    }

    /// The kind named `name` (as [`EntityKind::name`] spells it).
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Position in [`EntityKind::ALL`].
    fn slot(self) -> usize {
        self as usize
    }
}

/// One `T` per entity kind, in [`EntityKind::ALL`] order. Serialises as a
/// map from kind name to value (`{"person":…,"org":…,"place":…,"misc":…}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByKind<T>([T; 4]);

impl<T> ByKind<T> {
    /// The values in [`EntityKind::ALL`] order.
    pub const fn new(values: [T; 4]) -> ByKind<T> {
        ByKind(values)
    }

    /// The value of each kind, made by `f`, called in [`EntityKind::ALL`]
    /// order.
    pub fn from_fn(mut f: impl FnMut(EntityKind) -> T) -> ByKind<T> {
        ByKind(EntityKind::ALL.map(&mut f))
    }

    /// Each kind with its value, in [`EntityKind::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (EntityKind, &T)> {
        EntityKind::ALL.into_iter().zip(&self.0)
    }

    /// Each value, in [`EntityKind::ALL`] order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// Each kind's value turned into another by `f`.
    pub fn map<U>(self, mut f: impl FnMut(EntityKind, T) -> U) -> ByKind<U> {
        let [a, b, c, d] = self.0;
        let [ka, kb, kc, kd] = EntityKind::ALL;
        ByKind([f(ka, a), f(kb, b), f(kc, c), f(kd, d)])
    }

    /// The values by reference.
    pub fn each_ref(&self) -> ByKind<&T> {
        ByKind(self.0.each_ref())
    }
}

impl<T, E> ByKind<Result<T, E>> {
    /// The values, or the first error in [`EntityKind::ALL`] order.
    pub fn transpose(self) -> Result<ByKind<T>, E> {
        let [a, b, c, d] = self.0;
        Ok(ByKind([a?, b?, c?, d?]))
    }
}

impl<T> Index<EntityKind> for ByKind<T> {
    type Output = T;

    fn index(&self, kind: EntityKind) -> &T {
        &self.0[kind.slot()]
    }
}

impl<T> IndexMut<EntityKind> for ByKind<T> {
    fn index_mut(&mut self, kind: EntityKind) -> &mut T {
        &mut self.0[kind.slot()]
    }
}

impl<T: Serialize> Serialize for ByKind<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        for (kind, value) in self.iter() {
            map.serialize_entry(kind.name(), value)?;
        }
        map.end()
    }
}

/// Reads the map [`Serialize`] writes; a kind left out is empty.
impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for ByKind<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut by_name: std::collections::HashMap<String, T> =
            Deserialize::deserialize(deserializer)?;
        Ok(ByKind::from_fn(|kind| by_name.remove(kind.name()).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names_and_parse_back() {
        for kind in EntityKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
            assert_eq!(EntityKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(EntityKind::parse("people"), None);
    }

    #[test]
    fn values_are_indexed_by_kind_and_serialised_in_order() {
        let mut names = ByKind::from_fn(|kind| vec![kind.name().len()]);
        names[EntityKind::Misc].push(0);
        assert_eq!(names[EntityKind::Org], [3]);
        assert_eq!(
            serde_json::to_string(&names).unwrap(),
            r#"{"person":[6],"org":[3],"place":[5],"misc":[4,0]}"#
        );
        let mapped = names.map(|kind, values| (kind, values.len()));
        assert_eq!(mapped[EntityKind::Misc], (EntityKind::Misc, 2));
    }
}

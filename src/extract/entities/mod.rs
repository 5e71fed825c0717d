//! Named entities (filled in by the entities work).

//! Date mentions (filled in by the dates work).

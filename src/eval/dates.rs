//! TimeML date evaluation (filled in by the dates work).

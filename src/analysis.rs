//! Text analysers for news text (filled in by the analysis work).

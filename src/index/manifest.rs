//! The small JSON file lede keeps beside the tantivy files: which corpus the
//! index was built from and with which on-disk format, so `--index DIR` alone
//! is enough to search and an old index is refused with a clear message.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::read::json::JsonKeys;

/// File name of the manifest inside the index folder.
pub(crate) const FILE_NAME: &str = "lede.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// [`crate::schema::FORMAT_VERSION`] of the lede that built the index.
    pub format: u32,
    /// Version of the lede that last wrote the index, for error messages.
    pub lede_version: String,
    /// Absolute path of the corpus folder the index was built from.
    pub corpus: PathBuf,
    /// The JSON key names chosen with `lede index --json-*`, which every
    /// update of this index reads JSON files with (absent: the usual names).
    #[serde(default, skip_serializing_if = "JsonKeys::is_usual")]
    pub json_keys: JsonKeys,
    /// What the last update could not list (`PATH: symbolic link loop,
    /// skipped`), so the updates behind searches warn only about new ones
    /// instead of repeating them on every search.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub walk_problems: Vec<String>,
}

impl Manifest {
    pub(crate) fn new(corpus: &Path) -> Manifest {
        Manifest {
            format: crate::schema::FORMAT_VERSION,
            lede_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus: corpus.to_path_buf(),
            json_keys: JsonKeys::default(),
            walk_problems: Vec::new(),
        }
    }

    /// Reads the manifest; `Ok(None)` when the folder has none.
    pub(crate) fn read(index_dir: &Path) -> Result<Option<Manifest>> {
        let path = index_dir.join(FILE_NAME);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        };
        let manifest = serde_json::from_str(&text).with_context(|| {
            format!("{} is damaged: rebuild with `lede index --rebuild`", path.display())
        })?;
        Ok(Some(manifest))
    }

    /// Writes the manifest atomically (temporary file, then rename).
    pub(crate) fn write(&self, index_dir: &Path) -> Result<()> {
        let path = index_dir.join(FILE_NAME);
        let tmp = index_dir.join(format!(".{FILE_NAME}.tmp"));
        let text = serde_json::to_string_pretty(self)?;
        fs::write(&tmp, text + "\n").with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

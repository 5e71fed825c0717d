//! What `lede export --url` says about records that did not arrive.

use crate::export::push::Failure;

/// Files named before the rest are counted.
const NAMED_FILES: usize = 3;

/// One line for the records that failed for `reason`: the record itself
/// when it is alone, else how many records of how many files, naming the
/// first few files.
pub fn not_exported(reason: &str, failures: &[&Failure]) -> String {
    if let [failure] = failures {
        return format!("lede: not exported: {} ({}): {reason}", failure.path, failure.id);
    }
    let mut seen = std::collections::HashSet::new();
    let files: Vec<&str> =
        failures.iter().map(|f| f.path.as_str()).filter(|path| seen.insert(*path)).collect();
    let mut named = files.iter().take(NAMED_FILES).copied().collect::<Vec<_>>().join(", ");
    if files.len() > NAMED_FILES {
        named.push_str(&format!(" and {} more", files.len() - NAMED_FILES));
    }
    let records = failures.len();
    let of_files = match files.len() {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    format!("lede: not exported: {records} records of {of_files} ({named}): {reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(path: &str, id: &str) -> Failure {
        Failure { path: path.into(), id: id.into(), reason: "gave up".into() }
    }

    #[test]
    fn a_lone_record_is_named_and_many_are_counted_by_file() {
        let one = failure("a.txt", "a.txt:p1");
        assert_eq!(
            not_exported("gave up", &[&one]),
            "lede: not exported: a.txt (a.txt:p1): gave up"
        );
        let many = [
            failure("a.txt", "a.txt"),
            failure("a.txt", "a.txt:p1"),
            failure("b.txt", "b.txt:p0"),
            failure("c.txt", "c.txt:p0"),
            failure("d.txt", "d.txt:p0"),
            failure("e.txt", "e.txt:p0"),
        ];
        let refs: Vec<&Failure> = many.iter().collect();
        assert_eq!(
            not_exported("gave up", &refs),
            "lede: not exported: 6 records of 5 files (a.txt, b.txt, c.txt and 2 more): gave up"
        );
        assert_eq!(
            not_exported("gave up", &refs[..2]),
            "lede: not exported: 2 records of 1 file (a.txt): gave up"
        );
    }
}

//! Lets query words start with `-` (`lede search Korea -Kursk -n 5`).
//!
//! clap would read `-Kursk` as a cluster of short flags. Before parsing,
//! every argument of `lede search` (and `entities`, `dates`) that is not one of its options (or an
//! option's value) is moved behind a `--`, in order, so clap takes them all
//! as query words. The option list comes from the clap definition itself.

use std::ffi::OsString;

use clap::CommandFactory;

use crate::cli::Cli;

/// Subcommands whose positional arguments are query words.
const QUERY_COMMANDS: [&str; 3] = ["search", "entities", "dates"];

/// Rewrites the arguments of a query command line; others pass through.
pub fn normalize(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let Some(at) = args.iter().position(|a| QUERY_COMMANDS.iter().any(|c| a == c)) else {
        return args;
    };
    let Some(search) = args[at].to_str().and_then(|name| command.find_subcommand(name)) else {
        return args;
    };
    // Options of `search` (its own and the global ones), with whether they take a value.
    let options: Vec<(Option<char>, Option<String>, bool)> = search
        .get_arguments()
        .chain(command.get_arguments())
        .filter(|a| !a.is_positional())
        .map(|a| (a.get_short(), a.get_long().map(str::to_string), a.get_action().takes_values()))
        .chain([(Some('h'), Some("help".to_string()), false)])
        .collect();
    let mut head: Vec<OsString> = args[..=at].to_vec();
    let mut words: Vec<OsString> = Vec::new();
    let mut rest = args[at + 1..].iter();
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str() else {
            words.push(arg.clone());
            continue;
        };
        if text == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        match option_arity(text, &options) {
            Some(takes_value) => {
                head.push(arg.clone());
                if takes_value {
                    if let Some(value) = rest.next() {
                        head.push(value.clone());
                    }
                }
            }
            // An unknown `--name` is a mistyped option, not a query word:
            // clap reports it (and suggests the right one). So is an
            // unknown `-x`: a grep habit (`-i`, `-v`, `-w`) that would
            // otherwise exclude the letter and quietly change the hits.
            // `-- --name` and `-- -x` still search for them.
            None if is_long_option(text) || is_letter_flag(text) => head.push(arg.clone()),
            None => words.push(arg.clone()),
        }
    }
    if !words.is_empty() {
        head.push("--".into());
        head.extend(words);
    }
    head
}

/// Whether `arg` looks like a long option (`--name`, `--name=value`).
fn is_long_option(arg: &str) -> bool {
    arg.strip_prefix("--").and_then(|rest| rest.chars().next()).is_some_and(char::is_alphabetic)
}

/// Whether `arg` is a dash and one letter (`-v`), which as a query word
/// would only exclude that letter.
fn is_letter_flag(arg: &str) -> bool {
    let mut chars = arg.chars();
    chars.next() == Some('-')
        && chars.next().is_some_and(char::is_alphabetic)
        && chars.next().is_none()
}

/// `Some(needs_separate_value)` when `arg` is one of the options, else `None`.
fn option_arity(arg: &str, options: &[(Option<char>, Option<String>, bool)]) -> Option<bool> {
    if let Some(long) = arg.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((name, _)) => (name, true),
            None => (long, false),
        };
        let (_, _, takes) = options.iter().find(|(_, l, _)| l.as_deref() == Some(name))?;
        return Some(*takes && !inline);
    }
    let short = arg.strip_prefix('-')?;
    let mut chars = short.chars();
    let first = chars.next()?;
    let remainder = chars.as_str();
    let (_, _, takes) = options.iter().find(|(s, _, _)| *s == Some(first))?;
    match (takes, remainder.is_empty()) {
        (true, true) => Some(true),
        // `-n5` is an option with its value; `-nato` is an excluded word.
        (true, false) => remainder.trim_start_matches('=').parse::<f64>().is_ok().then_some(false),
        (false, true) => Some(false),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::ffi::OsString;

    fn run(args: &[&str]) -> Vec<String> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        normalize(args).into_iter().map(|a| a.into_string().unwrap()).collect()
    }

    #[test]
    fn excluded_words_move_behind_a_separator() {
        assert_eq!(
            run(&["lede", "search", "\"North Korean\"", "-Kursk", "-n", "5", "--json", "-nato"]),
            ["lede", "search", "-n", "5", "--json", "--", "\"North Korean\"", "-Kursk", "-nato"]
        );
    }

    #[test]
    fn an_unknown_letter_flag_is_left_for_clap_to_reject() {
        assert_eq!(
            run(&["lede", "search", "Kursk", "-v", "-c", "-Oblast"]),
            ["lede", "search", "-v", "-c", "--", "Kursk", "-Oblast"]
        );
        assert_eq!(run(&["lede", "search", "--", "-v"]), ["lede", "search", "--", "-v"]);
    }

    #[test]
    fn options_with_inline_values_and_globals_stay() {
        assert_eq!(
            run(&[
                "lede",
                "--index",
                "x",
                "search",
                "a",
                "-n5",
                "--color=never",
                "--corpus",
                "c",
                "--",
                "-b"
            ]),
            [
                "lede",
                "--index",
                "x",
                "search",
                "-n5",
                "--color=never",
                "--corpus",
                "c",
                "--",
                "a",
                "-b"
            ]
        );
    }

    #[test]
    fn unknown_long_options_are_left_for_clap_to_reject() {
        assert_eq!(
            run(&["lede", "entities", "Kursk", "--no-refersh", "-n", "3"]),
            ["lede", "entities", "--no-refersh", "-n", "3", "--", "Kursk"]
        );
        // Behind `--` it is a word like any other; `--` alone and `-5` stay words.
        assert_eq!(
            run(&["lede", "search", "-5", "--", "--x"]),
            ["lede", "search", "--", "-5", "--x"]
        );
    }

    #[test]
    fn other_commands_are_untouched() {
        assert_eq!(run(&["lede", "index", "-x"]), ["lede", "index", "-x"]);
    }
}

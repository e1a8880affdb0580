//! Matching the vocabularies of `grammars-config/conditions.toml` against the words the facts
//! record: whole names, runs of dotted names, and the parts of names and messages
//! (`isUserAnOrgAdmin` → is, user, an, org, admin), so a project's own names are covered by
//! the kind of word they are made of rather than listed one by one.

use hsl_facts::Words;
use hsl_tables::{Conditions, PartRun, identifier_parts};

/// Whether the parts of `text` (a name or a message) contain one of `runs`.
pub(crate) fn has_run(text: &str, runs: &[PartRun]) -> bool {
    let parts = identifier_parts(text);
    runs.iter().any(|run| run.found_in(&parts))
}

/// Whether any name, string or call of `words` has one of `runs` among its parts.
pub(crate) fn words_have_run(words: &Words, runs: &[PartRun]) -> bool {
    words
        .names
        .iter()
        .chain(&words.strings)
        .chain(&words.calls)
        .any(|text| has_run(text, runs))
}

/// Whether `name` names a role, a grant or a permission: a whole word of the permission list
/// (`role`, `isAdmin`), a name with a permission part (`isUserAnOrgAdmin`, `is_allowed`,
/// `teamMember`) or one that starts with a permission verb (`canViewWebsite`). A name that
/// ends in a credential part (`adminToken`, `owner_api_key`) is a credential instead.
pub(crate) fn is_permission_name(name: &str) -> bool {
    let vocabulary = Conditions::get();
    let permission = &vocabulary.permission;
    let parts = identifier_parts(name);
    // A verb of permission in front makes a predicate of the whole name, whatever it ends in
    // (`can_change_password`).
    if permission
        .leading_parts
        .iter()
        .any(|run| run.starts(&parts) && parts.len() > run.parts().len())
    {
        return true;
    }
    if vocabulary
        .identity
        .credential_parts
        .iter()
        .any(|run| run.ends(&parts))
    {
        return false;
    }
    permission
        .words
        .iter()
        .any(|word| word.eq_ignore_ascii_case(name))
        || permission.parts.iter().any(|run| run.found_in(&parts))
}

/// Whether `words` name the server's own state: a whole name or a run of dotted names of the
/// `server_state` list (`process.env`, `config`), or a name with a configuration part
/// (`serverConfig`).
pub(crate) fn names_server_state(words: &Words) -> bool {
    let state = &Conditions::get().server_state;
    state.names.iter().any(|entry| names_entry(words, entry))
        || words.names.iter().any(|name| has_run(name, &state.parts))
}

/// Whether one of `messages` speaks of the server's configuration ("not configured",
/// "missing KEY in server env vars").
pub(crate) fn says_server_config(messages: &[String]) -> bool {
    let phrases = &Conditions::get().server_state.phrases;
    messages.iter().any(|message| has_run(message, phrases))
}

/// Whether `words` name `entry`: entries with a `.` or `::` are a run of names
/// (`process.env`), the others one whole name.
pub(crate) fn names_entry(words: &Words, entry: &str) -> bool {
    let run: Vec<&str> = entry
        .split(['.', ':'])
        .filter(|part| !part.is_empty())
        .collect();
    if run.len() > 1 {
        words.has_sequence(&run)
    } else {
        words
            .names
            .iter()
            .any(|name| name.eq_ignore_ascii_case(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_are_read_by_their_parts() {
        for name in [
            "isUserAnOrgAdmin",
            "isGitHubAdmin",
            "userIsRegistryMaintainer",
            "is_allowed",
            "adminRole",
            "teamMember",
            "canViewWebsite",
            "can_delete",
            "can_change_password",
            "is_moderator",
            "role",
        ] {
            assert!(is_permission_name(name), "{name}");
        }
        for name in [
            "adminToken",
            "owner_api_key",
            "scanner",
            "canvas",
            "user",
            "remember",
            "session",
        ] {
            assert!(!is_permission_name(name), "{name}");
        }
    }

    #[test]
    fn server_state_is_read_by_names_runs_and_parts() {
        let words = |names: &[&str]| Words {
            names: names.iter().map(|name| (*name).to_string()).collect(),
            ..Words::default()
        };
        assert!(names_server_state(&words(&["process", "env", "KEY"])));
        assert!(names_server_state(&words(&["serverConfig", "baiduApiKey"])));
        assert!(!names_server_state(&words(&["env"])));
        assert!(!names_server_state(&words(&["body", "email"])));
        assert!(says_server_config(&[
            "missing API_KEY in server env vars".to_string()
        ]));
        assert!(says_server_config(&[
            "Slack OAuth not configured".to_string()
        ]));
        assert!(!says_server_config(&["Email is required".to_string()]));
    }
}

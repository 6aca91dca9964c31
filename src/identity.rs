//! Identities: who a commit's author or co-author really is (mailmap, aliases) and whether it is
//! a bot. People are keyed by their lower-cased email after mapping; emails never leave this
//! module except as keys.

use gix::bstr::ByteSlice;
use gix::mailmap::Snapshot;

/// A person after mailmap and aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Lower-cased email after mapping: the grouping key. Never printed.
    pub key: String,
    /// Display name after mapping.
    pub name: String,
    pub bot: bool,
    /// An AI coding agent (Claude Code, Copilot, Devin, …): counted apart from people and bots.
    pub agent: bool,
}

/// One alias: several emails that belong to one person shown as `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub emails: Vec<String>,
}

/// Resolves raw signatures to people for one repository.
pub struct Identities {
    mailmap: Snapshot,
    /// (lower-cased email, index into `alias_names`), sorted for binary search.
    alias_emails: Vec<(String, usize)>,
    alias_names: Vec<(String, String)>,
    /// Lower-cased substrings that mark a bot.
    bot_patterns: Vec<String>,
    /// Lower-cased patterns that mark an AI coding agent (see [`Identities::with_agents`]).
    agent_patterns: Vec<String>,
}

impl Identities {
    /// `repo_mailmap` is the repository's `.mailmap`; `extra_mailmap` (if any) is applied after it
    /// and wins on conflicts, like git's `mailmap.file`; aliases apply after both.
    pub fn new(
        repo_mailmap: &str,
        extra_mailmap: &str,
        aliases: &[Alias],
        bot_patterns: &[String],
    ) -> Self {
        let mut mailmap = Snapshot::from_bytes(repo_mailmap.as_bytes());
        mailmap.merge(gix::mailmap::parse_ignore_errors(extra_mailmap.as_bytes()));
        let mut alias_emails = Vec::new();
        let mut alias_names = Vec::new();
        for (i, alias) in aliases.iter().enumerate() {
            let canonical = alias
                .emails
                .first()
                .map(|e| e.to_lowercase())
                .unwrap_or_default();
            alias_names.push((alias.name.clone(), canonical));
            for email in &alias.emails {
                alias_emails.push((email.to_lowercase(), i));
            }
        }
        alias_emails.sort();
        let bot_patterns = bot_patterns
            .iter()
            .map(|p| p.to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        Identities {
            mailmap,
            alias_emails,
            alias_names,
            bot_patterns,
            agent_patterns: Vec::new(),
        }
    }

    /// Marks AI coding agents: each pattern is a case-insensitive substring of a name or email,
    /// or, written `=name`, a whole name. An agent is never a bot.
    pub fn with_agents(mut self, patterns: &[String]) -> Self {
        self.agent_patterns = patterns
            .iter()
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty() && p != "=")
            .collect();
        self
    }

    /// Maps a raw name and email to a person.
    pub fn resolve(&self, name: &str, email: &str) -> Person {
        let sig = gix::actor::SignatureRef {
            name: name.as_bytes().as_bstr(),
            email: email.as_bytes().as_bstr(),
            time: "",
        };
        let (mut name_out, mut key) = match self.mailmap.try_resolve_ref(sig) {
            Some(r) => (
                r.name
                    .map(|n| n.to_str_lossy().into_owned())
                    .unwrap_or_else(|| name.to_string()),
                r.email
                    .map(|e| e.to_str_lossy().into_owned())
                    .unwrap_or_else(|| email.to_string()),
            ),
            None => (name.to_string(), email.to_string()),
        };
        key = key.to_lowercase();
        if let Ok(pos) = self
            .alias_emails
            .binary_search_by(|(e, _)| e.as_str().cmp(&key))
        {
            let (alias_name, canonical) = &self.alias_names[self.alias_emails[pos].1];
            name_out = alias_name.clone();
            key = canonical.clone();
        }
        let agent = [name, email, &name_out, &key]
            .iter()
            .any(|t| self.is_agent(t));
        let bot = !agent
            && (self.is_bot(name)
                || self.is_bot(email)
                || self.is_bot(&name_out)
                || self.is_bot(&key));
        Person {
            key,
            name: name_out.trim().to_string(),
            bot,
            agent,
        }
    }

    fn is_agent(&self, text: &str) -> bool {
        let lower = text.trim().to_lowercase();
        self.agent_patterns
            .iter()
            .any(|p| match p.strip_prefix('=') {
                Some(whole) => lower == whole,
                None => lower.contains(p.as_str()),
            })
    }

    fn is_bot(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        self.bot_patterns.iter().any(|p| lower.contains(p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(mailmap: &str, extra: &str) -> Identities {
        let aliases = vec![Alias {
            name: "Jane Doe".into(),
            emails: vec!["jane@new.example".into(), "JD@old.example".into()],
        }];
        Identities::new(
            mailmap,
            extra,
            &aliases,
            &["[bot]".into(), "dependabot".into()],
        )
    }

    #[test]
    fn mailmap_maps_names_and_emails_case_insensitively() {
        let m = ids("Alice A <alice@example.com> <ALICE@old.example>\n", "");
        let p = m.resolve("alice", "Alice@OLD.example");
        assert_eq!(
            (p.name.as_str(), p.key.as_str(), p.bot),
            ("Alice A", "alice@example.com", false)
        );
    }

    #[test]
    fn extra_mailmap_overrides_and_aliases_apply_after() {
        let m = ids("Bob <bob@x.example>\n", "Robert <bob@x.example>\n");
        assert_eq!(m.resolve("bob", "bob@x.example").name, "Robert");
        let j = m.resolve("jd", "jd@old.example");
        assert_eq!(
            (j.name.as_str(), j.key.as_str()),
            ("Jane Doe", "jane@new.example")
        );
    }

    #[test]
    fn agents_by_name_or_email_are_not_bots() {
        let agents: Vec<String> = crate::config::DEFAULT_AGENT_PATTERNS
            .iter()
            .map(|p| p.to_string())
            .collect();
        let m = ids("", "").with_agents(&agents);
        for (name, email) in [
            ("Claude", "noreply@anthropic.com"),
            ("Claude Opus 4.5", "noreply@anthropic.com"),
            ("Amp", "amp@ampcode.com"),
            ("Copilot", "198982749+Copilot@users.noreply.github.com"),
            ("copilot-swe-agent[bot]", "x@users.noreply.github.com"),
            (
                "devin-ai-integration[bot]",
                "1+devin-ai-integration[bot]@users.noreply.github.com",
            ),
            ("Cursor Agent", "cursoragent@cursor.com"),
            ("Paul (aider)", "paul@example.com"),
            ("Codex", "codex@openai.com"),
            (
                "google-labs-jules[bot]",
                "1+google-labs-jules[bot]@users.noreply.github.com",
            ),
        ] {
            let p = m.resolve(name, email);
            assert!(p.agent && !p.bot, "{name} <{email}> is an agent");
        }
        for (name, email) in [
            ("Sampson Ampere", "sam@example.com"),
            ("Claudette", "claudette@example.com"),
            ("dependabot[bot]", "x@users.noreply.github.com"),
        ] {
            assert!(!m.resolve(name, email).agent, "{name} is no agent");
        }
    }

    #[test]
    fn bots_by_name_or_email() {
        let m = ids("", "");
        assert!(
            m.resolve(
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com"
            )
            .bot
        );
        assert!(m.resolve("Renovate", "bot@dependabot.example").bot);
        assert!(!m.resolve("Carol", "carol@example.com").bot);
    }
}

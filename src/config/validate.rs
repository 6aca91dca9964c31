//! Semantic checks on a parsed [`Config`], each error pointing at the offending value in the file.

use std::collections::HashMap;
use std::path::Path;

use toml::de::DeTable;

use super::error::{ConfigError, Position};
use super::model::{Config, build_glob};
use super::parse::{Seg, closest, span_at};

/// The largest accepted `[mirror] jobs`.
pub const MAX_JOBS: usize = 32;

/// Where the checks are: the file, its text and spans, and the folder relative paths start from.
pub(super) struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    doc: &'a DeTable<'a>,
    pub(super) base_dir: &'a Path,
}

/// The longest string value a `sparky.toml` may hold (names, paths, URLs, globs, patterns): it
/// can reach every page's title and front matter.
pub const MAX_STRING_CHARS: usize = 1000;

/// The path and length of the first string value longer than [`MAX_STRING_CHARS`].
fn long_string(table: &DeTable<'_>, path: &mut Vec<Seg>) -> Option<(Vec<Seg>, usize)> {
    for (k, v) in table.iter() {
        path.push(key(k.get_ref()));
        if let Some(hit) = long_value(v.get_ref(), path) {
            return Some(hit);
        }
        path.pop();
    }
    None
}

fn long_value(value: &toml::de::DeValue<'_>, path: &mut Vec<Seg>) -> Option<(Vec<Seg>, usize)> {
    match value {
        toml::de::DeValue::String(s) => {
            let len = s.chars().count();
            (len > MAX_STRING_CHARS).then(|| (path.clone(), len))
        }
        toml::de::DeValue::Table(t) => long_string(t, path),
        toml::de::DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(Seg::Index(i));
            let hit = long_value(item.get_ref(), path);
            path.pop();
            hit
        }),
        _ => None,
    }
}

pub(super) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

impl Checker<'_> {
    /// The position of the value at `path`, or of its nearest present parent.
    pub(super) fn at(&self, path: &[Seg]) -> Box<Position> {
        let span = (0..=path.len())
            .rev()
            .find_map(|n| span_at(self.doc, &path[..n]))
            .unwrap_or(0..0);
        Position::new(self.file, self.text, span)
    }

    fn existing(&self, path: &[Seg], key: &str, value: &Path) -> Result<(), ConfigError> {
        if value.as_os_str().is_empty() {
            return Err(ConfigError::EmptyValue {
                at: self.at(path),
                key: key.into(),
            });
        }
        let resolved = self.base_dir.join(value);
        if resolved.exists() {
            return Ok(());
        }
        let hint = if value.is_relative() {
            format!(
                "relative paths start from `{}`, the folder of the config file",
                self.base_dir.display()
            )
        } else {
            "check the path, or remove the key".to_string()
        };
        Err(ConfigError::PathNotFound {
            at: self.at(path),
            key: key.into(),
            path: resolved,
            hint,
        })
    }

    /// A `token_env` value must name an environment variable; a value that looks like a token
    /// pasted by mistake is never echoed (the snippet masks it).
    pub(super) fn token_env(&self, path: &[Seg], token_env: &str) -> Result<(), ConfigError> {
        self.token_env_like(path, token_env, "SPARKY_GIT_TOKEN")
    }

    /// [`token_env`](Self::token_env) with the variable name the hint suggests.
    pub(super) fn token_env_like(
        &self,
        path: &[Seg],
        token_env: &str,
        example: &str,
    ) -> Result<(), ConfigError> {
        let is_name = token_env.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && token_env
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        // GitHub's token prefixes are valid variable names too.
        let is_token = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]
            .iter()
            .any(|prefix| token_env.starts_with(prefix));
        if is_name && !is_token {
            return Ok(());
        }
        let mut at = self.at(path);
        at.source_line = at
            .source_line
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                if i + 1 >= at.column && i + 1 < at.column + at.width {
                    '*'
                } else {
                    ch
                }
            })
            .collect();
        let hint = format!(
            "`token_env` names the environment variable that holds the token, e.g. \
             `token_env = \"{example}\"`; put the token itself in that variable, never in this file"
        );
        Err(ConfigError::InvalidTokenEnv { at, hint })
    }

    pub(super) fn not_empty(
        &self,
        path: &[Seg],
        key: &str,
        value: &str,
    ) -> Result<(), ConfigError> {
        if value.trim().is_empty() {
            return Err(ConfigError::EmptyValue {
                at: self.at(path),
                key: key.into(),
            });
        }
        Ok(())
    }
}

/// Checks what the types cannot: one source per repository, existing paths, a known time zone,
/// valid globs, sane numbers.
pub(crate) fn validate(
    config: &Config,
    doc: &DeTable<'_>,
    file: &Path,
    text: &str,
    base_dir: &Path,
) -> Result<(), ConfigError> {
    let c = Checker {
        file,
        text,
        doc,
        base_dir,
    };
    if let Some((path, len)) = long_string(doc, &mut Vec::new()) {
        return Err(ConfigError::TooLong {
            at: c.at(&path),
            len,
            max: MAX_STRING_CHARS,
        });
    }
    repos(&c, config)?;
    if let Some(dir) = &config.sources.repos_dir {
        c.existing(&[key("sources"), key("repos_dir")], "repos_dir", dir)?;
    }
    time_zone(&c, &config.periods.time_zone)?;
    identities(&c, config)?;
    for (i, glob) in config.churn.exclude.iter().enumerate() {
        build_glob(glob).map_err(|source| ConfigError::InvalidGlob {
            at: c.at(&[key("churn"), key("exclude"), Seg::Index(i)]),
            glob: glob.clone(),
            source,
        })?;
    }
    mirror(&c, config)?;
    output(&c, config)?;
    super::github::validate(&c, config)?;
    super::publish::validate(&c, config)?;
    super::social::validate(&c, config)?;
    super::llm::validate(&c, &config.llm)?;
    c.not_empty(
        &[key("cache"), key("dir")],
        "dir",
        &config.cache.dir.to_string_lossy(),
    )
}

fn repos(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    for (i, repo) in config.repos.iter().enumerate() {
        let here = |k: &str| [key("repos"), Seg::Index(i), key(k)];
        let number = i + 1;
        match (&repo.url, &repo.path) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::RepoUrlAndPath {
                    at: c.at(&here("path")),
                    number,
                });
            }
            (None, None) => {
                let at = c.at(&[key("repos"), Seg::Index(i)]);
                return Err(ConfigError::RepoWithoutSource { at, number });
            }
            (Some(url), None) => c.not_empty(&here("url"), "url", url)?,
            (None, Some(path)) => c.existing(&here("path"), "path", path)?,
        }
        if let Some(name) = &repo.name
            && !is_valid_repo_name(name)
        {
            let at = c.at(&here("name"));
            return Err(ConfigError::InvalidRepoName {
                at,
                name: name.clone(),
            });
        }
        if let Some(branch) = &repo.branch {
            c.not_empty(&here("branch"), "branch", branch)?;
        }
    }
    Ok(())
}

/// Whether `name` can name a repository (and its cache folder): `[A-Za-z0-9._-]+`, not
/// starting with `.`.
pub(crate) fn is_valid_repo_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn time_zone(c: &Checker<'_>, name: &str) -> Result<(), ConfigError> {
    if jiff::tz::db().get(name).is_ok() {
        return Ok(());
    }
    let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    let example = "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`";
    let hint = match closest(name, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`? {example}"),
        None => example.to_string(),
    };
    let at = c.at(&[key("periods"), key("time_zone")]);
    Err(ConfigError::UnknownTimeZone {
        at,
        name: name.to_string(),
        hint,
    })
}

fn identities(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    let ids = &config.identities;
    if let Some(mailmap) = &ids.mailmap {
        c.existing(&[key("identities"), key("mailmap")], "mailmap", mailmap)?;
    }
    for (i, bot) in ids.bots.iter().enumerate() {
        // An empty pattern would make everyone a bot.
        c.not_empty(
            &[key("identities"), key("bots"), Seg::Index(i)],
            "bots",
            bot,
        )?;
    }
    let mut owners: HashMap<String, &str> = HashMap::new();
    for (i, alias) in ids.aliases.iter().enumerate() {
        let here = |k: &str| [key("identities"), key("aliases"), Seg::Index(i), key(k)];
        c.not_empty(&here("name"), "name", &alias.name)?;
        if alias.emails.is_empty() {
            let at = c.at(&here("emails"));
            return Err(ConfigError::AliasWithoutEmails {
                at,
                name: alias.name.clone(),
            });
        }
        for (j, email) in alias.emails.iter().enumerate() {
            let path = [
                key("identities"),
                key("aliases"),
                Seg::Index(i),
                key("emails"),
                Seg::Index(j),
            ];
            c.not_empty(&path, "emails", email)?;
            let first = *owners
                .entry(email.trim().to_lowercase())
                .or_insert(&alias.name);
            if first != alias.name {
                return Err(ConfigError::DuplicateAliasEmail {
                    at: c.at(&path),
                    email: email.clone(),
                    first: first.to_string(),
                    second: alias.name.clone(),
                });
            }
        }
    }
    Ok(())
}

fn output(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    let o = &config.output;
    let invalid = |k: &str, found: String, hint: &str| ConfigError::InvalidValue {
        at: c.at(&[key("output"), key(k)]),
        key: k.to_string(),
        section: "[output]".to_string(),
        found,
        hint: hint.to_string(),
    };
    c.not_empty(
        &[key("output"), key("content_dir")],
        "content_dir",
        &o.content_dir.to_string_lossy(),
    )?;
    let folder_ok = !o.base_folder.is_empty()
        && o.base_folder.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "-_".contains(ch))
        });
    if !folder_ok {
        let hint =
            "a relative folder of letters, digits, `-` and `_`, e.g. `blog` or `reports/dev`";
        return Err(invalid("base_folder", o.base_folder.clone(), hint));
    }
    c.not_empty(&[key("output"), key("org_name")], "org_name", &o.org_name)?;
    c.not_empty(&[key("output"), key("author")], "author", &o.author)?;
    if o.periods.is_empty() {
        let hint = "list at least one of \"day\", \"week\", \"month\"";
        return Err(invalid("periods", "[]".into(), hint));
    }
    for (name, day) in [("since", &o.since), ("until", &o.until)] {
        if let Some(day) = day
            && day.parse::<jiff::civil::Date>().is_err()
        {
            return Err(invalid(
                name,
                day.clone(),
                "a day written YYYY-MM-DD, e.g. \"2025-01-01\"",
            ));
        }
    }
    if !(1..=1000).contains(&o.recent) {
        return Err(invalid(
            "recent",
            o.recent.to_string(),
            "a number from 1 to 1000, e.g. `recent = 8`",
        ));
    }
    if let Some(dir) = &o.templates_dir {
        c.existing(&[key("output"), key("templates_dir")], "templates_dir", dir)?;
    }
    if let Some(url) = &o.site_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid(
            "site_url",
            url.clone(),
            "an http(s) URL, e.g. \"https://acme.github.io/docs\"",
        ));
    }
    Ok(())
}

fn mirror(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    token_env(c, "mirror", &config.mirror.token_env, "SPARKY_GIT_TOKEN")?;
    let jobs = config.mirror.jobs;
    if !(1..=MAX_JOBS).contains(&jobs) {
        let at = c.at(&[key("mirror"), key("jobs")]);
        return Err(ConfigError::JobsOutOfRange {
            at,
            jobs,
            max: MAX_JOBS,
        });
    }
    Ok(())
}

/// `token_env` in `[section]` must name an environment variable, and must not be a token.
pub(super) fn token_env(
    c: &Checker<'_>,
    section: &str,
    token_env: &str,
    example: &str,
) -> Result<(), ConfigError> {
    c.token_env_like(&[key(section), key("token_env")], token_env, example)
}

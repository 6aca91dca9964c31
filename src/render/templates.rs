//! Templates: the built-in Tera 2 templates from `content-templates/`, embedded in the binary,
//! overridden by name from a user folder, all parsed up front so a template error surfaces
//! before any git work.

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

/// The built-in templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("daily.md", include_str!("../../content-templates/daily.md")),
    (
        "weekly.md",
        include_str!("../../content-templates/weekly.md"),
    ),
    (
        "monthly.md",
        include_str!("../../content-templates/monthly.md"),
    ),
    ("index.md", include_str!("../../content-templates/index.md")),
    (
        "partials/status.md",
        include_str!("../../content-templates/partials/status.md"),
    ),
    (
        "partials/highlights.md",
        include_str!("../../content-templates/partials/highlights.md"),
    ),
    (
        "partials/month.md",
        include_str!("../../content-templates/partials/month.md"),
    ),
    (
        "partials/largest.md",
        include_str!("../../content-templates/partials/largest.md"),
    ),
    (
        "partials/numbers.md",
        include_str!("../../content-templates/partials/numbers.md"),
    ),
    (
        "partials/repos.md",
        include_str!("../../content-templates/partials/repos.md"),
    ),
    (
        "partials/people.md",
        include_str!("../../content-templates/partials/people.md"),
    ),
    (
        "partials/footer.md",
        include_str!("../../content-templates/partials/footer.md"),
    ),
    (
        "prompts/system.md",
        include_str!("../../content-templates/prompts/system.md"),
    ),
    (
        "prompts/summary.md",
        include_str!("../../content-templates/prompts/summary.md"),
    ),
    (
        "prompts/highlights.md",
        include_str!("../../content-templates/prompts/highlights.md"),
    ),
    (
        "prompts/repos.md",
        include_str!("../../content-templates/prompts/repos.md"),
    ),
    (
        "prompts/retry.md",
        include_str!("../../content-templates/prompts/retry.md"),
    ),
];

/// A template that could not be read, parsed or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("failed to read the template `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the templates are invalid ({origin})")]
    Parse {
        origin: String,
        #[source]
        source: tera::Error,
    },
    #[error("failed to render `{name}`")]
    Render {
        name: String,
        #[source]
        source: tera::Error,
    },
    #[error("failed to write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl TemplateError {
    pub fn hint(&self) -> Option<String> {
        match self {
            TemplateError::Parse { .. } | TemplateError::Render { .. } => Some(
                "compare with the built-in templates (`sparky templates eject DIR`); \
                 `sparky build --dump-context WINDOW` shows the variables a template can use"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// The parsed templates.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Built-ins, with any same-named file in `overrides` (recursively, by relative path) taking
    /// their place.
    pub fn load(overrides: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut sources: Vec<(String, String, String)> = BUILT_IN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string(), "built-in".to_string()))
            .collect();
        if let Some(dir) = overrides {
            for (name, _) in BUILT_IN {
                let path = dir.join(name);
                if path.is_file() {
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| TemplateError::Read {
                            path: path.clone(),
                            source,
                        })?;
                    if let Some(slot) = sources.iter_mut().find(|(n, _, _)| n == name) {
                        *slot = (name.to_string(), text, path.display().to_string());
                    }
                }
            }
        }
        let mut tera = Tera::default();
        tera.add_raw_templates(sources.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
            .map_err(|source| {
                let overridden: Vec<&str> = sources
                    .iter()
                    .filter(|(_, _, o)| o != "built-in")
                    .map(|(_, _, o)| o.as_str())
                    .collect();
                TemplateError::Parse {
                    origin: if overridden.is_empty() {
                        "built-in templates".to_string()
                    } else {
                        format!("overrides: {}", overridden.join(", "))
                    },
                    source,
                }
            })?;
        Ok(Templates { tera })
    }

    /// Renders template `name` with a serializable context; blank lines are normalised (at most
    /// one in a row, none at the start, one newline at the end).
    pub fn render(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, TemplateError> {
        let ctx = Context::from_serialize(context).map_err(|source| TemplateError::Render {
            name: name.to_string(),
            source,
        })?;
        let raw = self
            .tera
            .render(name, &ctx)
            .map_err(|source| TemplateError::Render {
                name: name.to_string(),
                source,
            })?;
        Ok(tidy(&raw))
    }
}

/// Trailing spaces removed, runs of blank lines folded to one, one final newline.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Writes the built-in templates into `dir` (never overwriting an existing file unless
/// `force`); returns the files written.
pub fn eject(dir: &Path, force: bool) -> Result<Vec<PathBuf>, TemplateError> {
    let mut written = Vec::new();
    for (name, text) in BUILT_IN {
        let path = dir.join(name);
        if path.exists() && !force {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| TemplateError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, text).map_err(|source| TemplateError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse_and_tidy_folds_blank_lines() {
        Templates::load(None).expect("built-in templates parse");
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn an_override_replaces_a_built_in_and_errors_name_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("index.md"), "custom {{ intro }}").expect("write");
        let t = Templates::load(Some(dir.path())).expect("loads");
        let out = t
            .render("index.md", &serde_json::json!({"intro": "x", "groups": []}))
            .expect("renders");
        assert_eq!(out, "custom x\n");
        std::fs::write(dir.path().join("index.md"), "{% if %}").expect("write");
        let err = Templates::load(Some(dir.path())).err().expect("fails");
        let full = format!(
            "{err}: {}",
            std::error::Error::source(&err)
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
        assert!(full.contains("index.md"), "{full}");
        assert!(full.contains(&dir.path().display().to_string()), "{full}");
    }
}

//! The docs repository's GitHub Actions workflow: which of its two modes fits the site (does a
//! workflow of the site deploy it to Pages already? does it have git submodules?) and the
//! workflow text for that mode, cut from the embedded template's marked blocks.

use std::path::Path;

/// The workflow template, with `# sparky:NAME{` … `# sparky:NAME}` blocks for each mode.
pub const TEMPLATE: &str = include_str!("../../quartz-integration/workflows/sparky.yml");

/// Where the workflow goes, relative to the docs repository.
pub const WORKFLOW_FILE: &str = ".github/workflows/sparky.yml";
/// The branch the template's `push` trigger names.
pub(crate) const BRANCH_LINE: &str = "    branches: [main]\n";
/// The deploy workflow the template names in publish-only mode.
const DEPLOY_LINE: &str = "  DEPLOY_WORKFLOW: deploy.yml\n";

/// What the workflow does after publishing the reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Builds the site with Quartz and deploys it to GitHub Pages itself.
    BuildAndDeploy,
    /// Leaves the site to the workflow that deploys it, and starts that one.
    PublishOnly(Deployer),
}

/// A workflow of the site that deploys it to GitHub Pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployer {
    /// Its file name under `.github/workflows/`.
    pub file: String,
    /// What shows it deploys, as a phrase ("uses actions/deploy-pages").
    pub because: String,
    /// Whether it can be started with `workflow_dispatch`.
    pub dispatchable: bool,
}

/// The workflow that fits a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub mode: Mode,
    /// The site has git submodules (`.gitmodules`): the checkout includes them.
    pub submodules: bool,
    /// The branch of the `push` trigger.
    pub branch: String,
}

/// What in a workflow shows it deploys a site to GitHub Pages, with how to say so.
const DEPLOY_SIGNS: [(&str, &str); 5] = [
    ("actions/deploy-pages", "uses actions/deploy-pages"),
    (
        "actions/upload-pages-artifact",
        "uses actions/upload-pages-artifact",
    ),
    (
        "peaceiris/actions-gh-pages",
        "uses peaceiris/actions-gh-pages",
    ),
    (
        "JamesIves/github-pages-deploy-action",
        "uses JamesIves/github-pages-deploy-action",
    ),
    (":gh-pages", "pushes to the gh-pages branch"),
];

impl Plan {
    /// Looks at the site in `dir`: its workflows (other than Sparky's own), `.gitmodules` and
    /// the branch checked out (`main` when unknown).
    pub fn for_site(dir: &Path, branch: Option<String>) -> Plan {
        let workflows = dir.join(".github").join("workflows");
        let mut files: Vec<_> = std::fs::read_dir(&workflows)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
            // Only names that go into the workflow's YAML as they are.
            .filter(|n| {
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            })
            .filter(|n| Path::new(WORKFLOW_FILE).file_name() != Some(n.as_ref()))
            .collect();
        files.sort();
        let deployer = files.into_iter().find_map(|file| {
            let text = std::fs::read_to_string(workflows.join(&file)).ok()?;
            let (_, because) = DEPLOY_SIGNS.iter().find(|(sign, _)| text.contains(sign))?;
            Some(Deployer {
                dispatchable: text.contains("workflow_dispatch"),
                because: because.to_string(),
                file,
            })
        });
        Plan {
            mode: deployer.map_or(Mode::BuildAndDeploy, Mode::PublishOnly),
            submodules: dir.join(".gitmodules").is_file(),
            branch: branch.unwrap_or_else(|| "main".to_string()),
        }
    }

    /// The workflow text for this plan.
    pub fn workflow(&self) -> String {
        let (keep, drop) = match self.mode {
            Mode::BuildAndDeploy => ("deploy", "publish"),
            Mode::PublishOnly(_) => ("publish", "deploy"),
        };
        let mut out = String::with_capacity(TEMPLATE.len());
        let mut skipping = false;
        for line in TEMPLATE.split_inclusive('\n') {
            match block_marker(line) {
                Some((name, open)) => {
                    let dropped = name == drop || (name == "submodules" && !self.submodules);
                    if dropped {
                        skipping = open;
                    }
                    debug_assert!(dropped || name == keep || name == "submodules", "{name}");
                }
                None if !skipping => out.push_str(line),
                None => {}
            }
        }
        out = out.replace(BRANCH_LINE, &format!("    branches: [{}]\n", self.branch));
        if let Mode::PublishOnly(d) = &self.mode {
            out = out.replace(DEPLOY_LINE, &format!("  DEPLOY_WORKFLOW: {}\n", d.file));
        }
        out
    }

    /// One sentence per choice, for `sparky init` to print.
    pub fn explain(&self) -> Vec<String> {
        let mut lines = vec![match &self.mode {
            Mode::BuildAndDeploy => "workflow mode: build-and-deploy (no workflow in \
                .github/workflows deploys the site to GitHub Pages): Sparky's workflow builds, \
                checks and publishes the reports, then builds the site with Quartz and deploys \
                it; set Pages → Source: GitHub Actions"
                .to_string(),
            Mode::PublishOnly(d) => format!(
                "workflow mode: publish-only (.github/workflows/{} already deploys the site: it \
                 {}): Sparky's workflow builds, checks and publishes the reports, then starts \
                 {} to deploy them",
                d.file, d.because, d.file
            ),
        }];
        if self.submodules {
            lines.push(
                "the workflow checks out the site's git submodules (there is a .gitmodules)"
                    .to_string(),
            );
        }
        lines
    }

    /// What is left for the user, if anything.
    pub fn next_step(&self) -> Option<String> {
        match &self.mode {
            Mode::PublishOnly(d) if !d.dispatchable => Some(format!(
                "add `workflow_dispatch:` to the triggers of .github/workflows/{}, so that \
                 Sparky's workflow can start it after publishing",
                d.file
            )),
            _ => None,
        }
    }
}

/// `# sparky:NAME{` (opens) or `# sparky:NAME}` (closes).
fn block_marker(line: &str) -> Option<(&str, bool)> {
    let rest = line.trim_end().strip_prefix("# sparky:")?;
    rest.strip_suffix('{')
        .map(|n| (n, true))
        .or_else(|| rest.strip_suffix('}').map(|n| (n, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_closes_and_the_replaced_lines_are_there_once() {
        let mut open: Option<&str> = None;
        for line in TEMPLATE.lines() {
            match (block_marker(line), open) {
                (Some((name, true)), None) => open = Some(name),
                (Some((name, false)), Some(o)) => {
                    assert_eq!(name, o);
                    open = None;
                }
                (Some(m), o) => panic!("marker {m:?} inside {o:?}"),
                _ => {}
            }
        }
        assert_eq!(open, None);
        assert_eq!(TEMPLATE.matches(BRANCH_LINE).count(), 1);
        assert_eq!(TEMPLATE.matches(DEPLOY_LINE).count(), 1);
    }

    #[test]
    fn no_markers_are_left_in_either_mode() {
        for mode in [
            Mode::BuildAndDeploy,
            Mode::PublishOnly(Deployer {
                file: "site.yml".into(),
                because: "uses actions/deploy-pages".into(),
                dispatchable: true,
            }),
        ] {
            for submodules in [false, true] {
                let plan = Plan {
                    mode: mode.clone(),
                    submodules,
                    branch: "v4".into(),
                };
                let text = plan.workflow();
                assert!(!text.contains("# sparky:"), "{text}");
                assert_eq!(text.contains("submodules: recursive"), submodules);
                assert!(text.contains("    branches: [v4]\n"));
            }
        }
    }
}

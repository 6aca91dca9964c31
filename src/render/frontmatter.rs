//! Interim front matter (replaced by the strict renderer and parser).

use super::escape::{front_matter_string, tag_slug};

/// A value of one of Sparky's own keys.
#[derive(Debug, Clone, PartialEq)]
pub enum FmValue {
    String(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

/// The front matter of a Sparky page.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    pub date: jiff::civil::Date,
    pub tags: Vec<String>,
    pub author: String,
    pub extra: Vec<(String, FmValue)>,
}

impl FrontMatter {
    pub fn render(&self) -> String {
        let mut s = String::from("---\n");
        s.push_str(&format!("title: {}\n", front_matter_string(&self.title)));
        s.push_str(&format!(
            "description: {}\n",
            front_matter_string(&self.description)
        ));
        s.push_str(&format!("date: {}\n", self.date));
        s.push_str("tags:\n");
        for t in &self.tags {
            s.push_str(&format!("  - {}\n", tag_slug(t)));
        }
        s.push_str(&format!("author: {}\n", front_matter_string(&self.author)));
        for (k, v) in &self.extra {
            match v {
                FmValue::String(x) => s.push_str(&format!("{k}: {}\n", front_matter_string(x))),
                FmValue::Int(i) => s.push_str(&format!("{k}: {i}\n")),
                FmValue::Bool(b) => s.push_str(&format!("{k}: {b}\n")),
                FmValue::List(l) => {
                    s.push_str(&format!("{k}:\n"));
                    for x in l {
                        s.push_str(&format!("  - {}\n", front_matter_string(x)));
                    }
                }
            }
        }
        s.push_str("---\n");
        s
    }
}

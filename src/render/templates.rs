//! Document text from templates (minijinja), so that the bureau can change a sentence without
//! a release: the templates shipped in the binary (`templates/` of the repository) are used
//! unless the workspace has a file of the same name in its own `templates/`.

use rust_i18n::t;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// The templates shipped in the binary: (name, text).
const SHIPPED: &[(&str, &str)] = &[
    ("notice.zh.j2", include_str!("templates/notice.zh.j2")),
    ("notice.en.j2", include_str!("templates/notice.en.j2")),
    ("bulletin_next.txt.j2", include_str!("templates/bulletin_next.txt.j2")),
];

/// The text of template `name`: the workspace's `templates/NAME` if there is one, else the
/// shipped one.
pub fn source(root: Option<&Path>, name: &str) -> Result<String> {
    if let Some(root) = root {
        let path = root.join("templates").join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
        .ok_or_else(|| Error::msg(t!("render.no_template", name = name)))
}

/// Render template `name` with `ctx`. A template that does not parse or render is an error
/// naming it (and the workspace file, when it is the workspace's).
pub fn render(root: Option<&Path>, name: &str, ctx: impl Serialize) -> Result<String> {
    let text = source(root, name)?;
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_template(name, &text)
        .map_err(|e| Error::msg(t!("render.template_failed", name = name, error = e)))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::msg(t!("render.template_failed", name = name, error = e)))
}

//! `cargo xtask dist`: the site as static files for GitHub Pages.

use std::fs;
use std::path::Path;

use crate::build::{build_site, copy_dir, remove_dir_if_present};
use crate::install::{ensure_tools, Needs};
use crate::{Result, Workspace};

/// Entries that dist writes. An output directory that contains anything else is rejected.
const DIST_ENTRIES: [&str; 5] = ["index.html", "www", "pkg", ".nojekyll", "config.json"];

/// Builds the site into `out` (relative to the repository root), with `.nojekyll` and, when a
/// client ID is given, `config.json` that points the page at real Twitch.
pub fn dist(workspace: &Workspace, out: &Path, client_id: Option<&str>) -> Result<()> {
    if let Some(client_id) = client_id {
        validate_client_id(client_id)?;
    }
    let out = workspace.root.join(out);
    check_out_dir(&out)?;

    ensure_tools(workspace, Needs::default())?;
    let site = build_site(workspace)?;

    remove_dir_if_present(&out)?;
    copy_dir(&site, &out)?;
    // Stops GitHub Pages from running Jekyll, which drops files and folders starting with `_`,
    // when the site is published from a branch. Deploys through actions/deploy-pages skip
    // Jekyll anyway.
    fs::write(out.join(".nojekyll"), "")?;
    match client_id {
        Some(client_id) => {
            fs::write(out.join("config.json"), config_json(client_id))?;
            println!("config.json: client_id {client_id}; the page signs in with real Twitch");
        }
        None => println!("no --client-id: no config.json written"),
    }
    println!("dist: {}", out.display());
    Ok(())
}

/// Accepts what Twitch issues as client IDs, ASCII letters and digits, so the ID needs no
/// escaping in JSON.
fn validate_client_id(client_id: &str) -> Result<()> {
    if client_id.is_empty() {
        return Err(
            "--client-id is empty; pass the application's client ID from the Twitch \
                    developer console (in CI, set the repository variable TWITCH_CLIENT_ID)"
                .into(),
        );
    }
    if !client_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "invalid --client-id `{client_id}`: a Twitch client ID has only letters and digits"
        )
        .into());
    }
    Ok(())
}

fn config_json(client_id: &str) -> String {
    format!("{{\"client_id\":\"{client_id}\"}}\n")
}

/// Rejects an output directory that contains files dist did not write, because dist replaces
/// the directory as a whole.
fn check_out_dir(out: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(out) else {
        return Ok(());
    };
    for entry in entries {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if !DIST_ENTRIES.contains(&name.as_ref()) {
            return Err(format!(
                "{} contains `{name}`, which dist does not write; pass --out with a new or \
                 empty directory",
                out.display()
            )
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_out_dir, config_json, validate_client_id};
    use std::fs;

    #[test]
    fn client_id_accepts_letters_and_digits() {
        assert!(validate_client_id("mockpublicclient00000000000001").is_ok());
    }

    #[test]
    fn client_id_rejects_empty_and_quotes() {
        assert!(validate_client_id("").is_err());
        assert!(validate_client_id("abc\",\"x\":\"y").is_err());
        assert!(validate_client_id("abc def").is_err());
    }

    #[test]
    fn config_json_shape() {
        assert_eq!(config_json("abc123"), "{\"client_id\":\"abc123\"}\n");
    }

    #[test]
    fn out_dir_with_foreign_file_rejected() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "").unwrap();
        assert!(check_out_dir(&dir).is_ok());

        fs::write(dir.join("notes.txt"), "").unwrap();
        assert!(check_out_dir(&dir).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn out_dir_missing_accepted() {
        let dir = std::env::temp_dir().join("xtask-dist-does-not-exist");
        assert!(check_out_dir(&dir).is_ok());
    }
}

//! Builds the release wasm module and assembles the static site around it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::process::{command, run};
use crate::{Result, Workspace};

/// Name of the wasm-bindgen output files: `pkg/twitch_wasm_auth.js` and
/// `pkg/twitch_wasm_auth_bg.wasm`.
pub const OUT_NAME: &str = "twitch_wasm_auth";

/// Builds the release wasm module and writes the site to `target/site`: a fresh copy of
/// index.html and www/, and pkg/ from wasm-bindgen. Returns the site directory.
pub fn build_site(workspace: &Workspace) -> Result<PathBuf> {
    run(&mut command(
        "cargo",
        [
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "twitch-wasm-auth",
            "--lib",
        ],
    ))?;

    let site = workspace.site();
    remove_dir_if_present(&site)?;
    fs::create_dir_all(&site)?;
    copy_file(&workspace.root.join("index.html"), &site.join("index.html"))?;
    copy_dir(&workspace.root.join("www"), &site.join("www"))?;

    let module = workspace
        .target
        .join("wasm32-unknown-unknown/release")
        .join(format!("{OUT_NAME}.wasm"));
    let mut bindgen = command(
        "wasm-bindgen",
        [
            "--target",
            "web",
            "--remove-name-section",
            "--remove-producers-section",
            "--out-name",
            OUT_NAME,
            "--out-dir",
        ],
    );
    bindgen.arg(site.join("pkg")).arg(&module);
    run(&mut bindgen)?;

    println!("site: {}", site.display());
    Ok(site)
}

/// Builds mock-twitch and returns the path of its binary. `release` picks the release profile.
/// The dev profile shares compiled dependencies with `cargo test`.
pub fn build_mock(workspace: &Workspace, release: bool) -> Result<PathBuf> {
    let mut cargo = command("cargo", ["build", "-p", "mock-twitch"]);
    if release {
        cargo.arg("--release");
    }
    run(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    Ok(workspace.target.join(profile).join("mock-twitch"))
}

pub fn remove_dir_if_present(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(format!("cannot remove {}: {error}", dir.display()).into()),
    }
}

pub fn copy_file(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to).map(drop).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
        .into()
    })
}

/// Copies a directory tree, following symbolic links.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let entries = fs::read_dir(from)
        .map_err(|error| format!("cannot read directory {}: {error}", from.display()))?;
    fs::create_dir_all(to)?;
    for entry in entries {
        let entry = entry?;
        let source = entry.path();
        let destination = to.join(entry.file_name());
        if source.is_dir() {
            copy_dir(&source, &destination)?;
        } else {
            copy_file(&source, &destination)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::copy_dir;
    use std::fs;

    #[test]
    fn copy_dir_nested_files() {
        let scratch = std::env::temp_dir().join(format!("xtask-copy-dir-{}", std::process::id()));
        let source = scratch.join("from");
        fs::create_dir_all(source.join("inner")).unwrap();
        fs::write(source.join("a.css"), "body {}").unwrap();
        fs::write(source.join("inner/b.js"), "export {}").unwrap();

        copy_dir(&source, &scratch.join("to")).unwrap();

        assert_eq!(
            fs::read_to_string(scratch.join("to/a.css")).unwrap(),
            "body {}"
        );
        assert_eq!(
            fs::read_to_string(scratch.join("to/inner/b.js")).unwrap(),
            "export {}"
        );
        fs::remove_dir_all(&scratch).unwrap();
    }
}

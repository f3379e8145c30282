//! Helpers to run external programs, print what runs and turn failures into errors.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Result;

/// Builds a command from a program and its arguments.
pub fn command<I, S>(program: &str, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(program);
    command.args(args);
    command
}

/// Formats a command as a shell-like line, for logs and error messages.
pub fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        let arg = arg.to_string_lossy();
        line.push(' ');
        if arg.is_empty() || arg.contains([' ', '*', '\'', '"']) {
            line.push_str(&format!("'{arg}'"));
        } else {
            line.push_str(&arg);
        }
    }
    line
}

/// Runs a command with the terminal's standard streams and fails unless it exits with 0.
pub fn run(command: &mut Command) -> Result<()> {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|error| format!("cannot start `{}`: {error}", describe(command)))?;
    if !status.success() {
        return Err(format!("`{}` failed with {status}", describe(command)).into());
    }
    Ok(())
}

/// Runs a command quietly and returns its standard output, or `None` when the program is
/// missing, cannot start or exits with a non-zero status.
pub fn output_of(command: &mut Command) -> Option<String> {
    let output = command
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs a command, copies its standard output to ours as it arrives and hands each complete
/// line to `on_line`. Standard error goes straight to the terminal. Returns whether the command
/// exited with 0.
pub fn run_streaming(command: &mut Command, mut on_line: impl FnMut(&str)) -> Result<bool> {
    println!("$ {}", describe(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `{}`: {error}", describe(command)))?;
    let mut child_stdout = child.stdout.take().expect("stdout is piped");
    let mut stdout = std::io::stdout();
    let mut buffer = [0u8; 8192];
    let mut pending_line = Vec::new();

    // Chunks rather than lines, so that partial lines such as libtest's `test name ... `
    // appear before the test finishes.
    loop {
        let count = match child_stdout.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(format!("reading output of `{}`: {error}", describe(command)).into())
            }
        };
        let chunk = &buffer[..count];
        stdout.write_all(chunk)?;
        stdout.flush()?;
        for &byte in chunk {
            if byte == b'\n' {
                on_line(String::from_utf8_lossy(&pending_line).trim_end_matches('\r'));
                pending_line.clear();
            } else {
                pending_line.push(byte);
            }
        }
    }
    if !pending_line.is_empty() {
        on_line(&String::from_utf8_lossy(&pending_line));
    }

    let status = child.wait()?;
    Ok(status.success())
}

/// Finds a program on `PATH`, as a shell would.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Returns whether this process runs as root, which `apt-get install` needs.
pub fn is_root() -> bool {
    output_of(&mut command("id", ["-u"])).is_some_and(|uid| uid.trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::{command, describe};

    #[test]
    fn describe_quotes_globs_and_spaces() {
        let line = describe(&command("cargo", ["test", "--test", "*", "a b"]));
        assert_eq!(line, "cargo test --test '*' 'a b'");
    }
}

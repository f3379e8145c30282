//! `cargo xtask serve`: the page with mock-twitch, for trying it in a browser.

use crate::build::{build_mock, build_site};
use crate::install::{ensure_tools, Needs};
use crate::mock::{MockServer, Output};
use crate::{Result, Workspace};

/// Builds the site and serves it with mock-twitch on `port` until the mock exits. Ctrl-C in
/// the terminal reaches the mock too, because it runs in the same process group.
pub fn serve(workspace: &Workspace, port: u16) -> Result<()> {
    ensure_tools(workspace, Needs::default())?;
    let site = build_site(workspace)?;
    let binary = build_mock(workspace, true)?;
    let mock = MockServer::start(&binary, &site, port, Output::Terminal)?;
    println!("open {}/ in a browser; press Ctrl-C to stop", mock.url);
    mock.wait()
}

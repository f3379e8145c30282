//! Static files, generated files, the command line and HTTP handling.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{start, start_with};
use mock_twitch::seed::PUBLIC_CLIENT_ID;
use mock_twitch::{Options, Server};
use serde_json::json;

/// A temporary site directory, removed with its parent when dropped.
struct TempSite {
    base: PathBuf,
    site: PathBuf,
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// Creates `<tmp>/mock-twitch-<name>-<pid>/site` with a few files, and a secret file next
/// to the site directory that traversal must not reach.
fn make_site(name: &str) -> TempSite {
    let base = std::env::temp_dir().join(format!("mock-twitch-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let site = base.join("site");
    fs::create_dir_all(site.join("pkg")).unwrap();
    fs::create_dir_all(site.join("docs")).unwrap();
    fs::write(site.join("index.html"), "<h1>page</h1>").unwrap();
    fs::write(site.join("app.js"), "export const x = 1;").unwrap();
    fs::write(site.join("pkg/module.wasm"), b"\0asm\x01\0\0\0").unwrap();
    fs::write(site.join("pkg/module.d.ts"), "export {};").unwrap();
    fs::write(site.join("config.json"), "{\"client_id\":\"from-file\"}").unwrap();
    fs::write(site.join("docs/index.html"), "docs").unwrap();
    fs::write(site.join(".hidden"), "hidden").unwrap();
    fs::write(base.join("secret.txt"), "secret").unwrap();
    TempSite { base, site }
}

#[test]
fn static_files_at_root_and_subpath() {
    let temp = make_site("static");
    let mock = start_with(Options {
        site: Some(temp.site.clone()),
        ..Options::default()
    });

    for prefix in ["/", "/pages/twitch-wasm-auth/"] {
        let index = mock.get(prefix, &[]);
        assert_eq!(
            (index.status, index.body.as_str()),
            (200, "<h1>page</h1>"),
            "{prefix}"
        );
        assert_eq!(
            index.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(index.header("cache-control"), Some("no-store"));

        let script = mock.get(&format!("{prefix}app.js"), &[]);
        assert_eq!(
            script.header("content-type"),
            Some("text/javascript; charset=utf-8")
        );

        let wasm = mock.get(&format!("{prefix}pkg/module.wasm"), &[]);
        assert_eq!(wasm.status, 200);
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));
        assert_eq!(wasm.header("content-length"), Some("8"));

        let types = mock.get(&format!("{prefix}pkg/module.d.ts"), &[]);
        assert_eq!(
            types.header("content-type"),
            Some("text/plain; charset=utf-8")
        );

        let docs = mock.get(&format!("{prefix}docs/"), &[]);
        assert_eq!(docs.body, "docs");

        assert_eq!(mock.get(&format!("{prefix}missing.js"), &[]).status, 404);
        assert_eq!(mock.get(&format!("{prefix}.hidden"), &[]).status, 404);
    }

    let redirect = mock.get("/docs?x=1", &[]);
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/docs/?x=1"));
    let project = mock.get("/pages/twitch-wasm-auth", &[]);
    assert_eq!(project.header("location"), Some("/pages/twitch-wasm-auth/"));

    let head = mock.request("HEAD", "/app.js", &[], "");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("19"));
    assert_eq!(head.body, "");
}

#[test]
fn traversal_is_rejected() {
    let temp = make_site("traversal");
    let mock = start_with(Options {
        site: Some(temp.site.clone()),
        ..Options::default()
    });

    let attempts = [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/pages/twitch-wasm-auth/../../secret.txt",
        "/pages/twitch-wasm-auth/..%2f..%2fsecret.txt",
        "/docs/..%5c..%5csecret.txt",
        "/./index.html",
    ];
    for target in attempts {
        let response = mock.get(target, &[]);
        assert_eq!(response.status, 400, "{target}");
        assert!(!response.body.contains("secret"), "{target}");
    }
}

#[test]
fn config_json_points_at_the_mock() {
    let temp = make_site("config");
    let mock = start_with(Options {
        site: Some(temp.site.clone()),
        ..Options::default()
    });
    let expected = json!({
        "client_id": PUBLIC_CLIENT_ID,
        "id_base": format!("{}/oauth2", mock.origin),
        "helix_base": format!("{}/helix", mock.origin),
        "mock": true
    });

    for target in ["/config.json", "/pages/twitch-wasm-auth/config.json"] {
        let response = mock.get(target, &[]);
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.json(), expected, "{target}");
    }
}

#[test]
fn index_and_avatars_without_site() {
    let mock = start();
    let index = mock.get("/", &[]);
    assert_eq!(index.status, 200);
    assert!(index.body.contains(PUBLIC_CLIENT_ID));
    assert_eq!(mock.get("/app.js", &[]).status, 404);

    let avatar = mock.get("/avatars/twitchdev.svg", &[]);
    assert_eq!(avatar.status, 200);
    assert_eq!(avatar.header("content-type"), Some("image/svg+xml"));
    assert!(avatar.body.starts_with("<svg"));
    assert_eq!(mock.get("/avatars/nobody.svg", &[]).status, 404);
}

#[test]
fn missing_site_directory_fails_start() {
    let options = Options {
        port: 0,
        site: Some(PathBuf::from("/nonexistent/mock-twitch-site")),
        log_requests: false,
        ..Options::default()
    };
    let error = Server::start(options).expect_err("a missing site directory is an error");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    assert!(
        error.to_string().contains("/nonexistent/mock-twitch-site"),
        "{error}"
    );
}

#[test]
fn malformed_requests_get_400() {
    let mock = start();
    let cases: [&[u8]; 5] = [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nBroken header\r\n\r\n",
        b"POST /oauth2/token HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        b"GET /\xff HTTP/1.1\r\n\r\n",
    ];
    for raw in cases {
        let response = mock.send_raw(raw).expect("a 400 response");
        assert_eq!(response.status, 400, "{:?}", String::from_utf8_lossy(raw));
    }

    // The server still responds afterwards.
    assert_eq!(mock.get("/", &[]).status, 200);
}

#[test]
fn chunked_body_and_keep_alive() {
    let mock = start();
    let mut stream = TcpStream::connect(mock.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();

    let chunked = "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                   a\r\ngrant_type\r\n5\r\n=none\r\n0\r\n\r\n";
    stream.write_all(chunked.as_bytes()).unwrap();
    let first = read_one_response(&mut stream);
    assert!(first.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{first}");
    assert!(first.contains("Connection: keep-alive"));
    assert!(
        first.ends_with(r#"{"status":400,"message":"unsupported grant type"}"#),
        "{first}"
    );

    stream
        .write_all(b"GET /oauth2/validate HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let second = read_one_response(&mut stream);
    assert!(
        second.ends_with(r#"{"status":401,"message":"missing authorization token"}"#),
        "{second}"
    );
}

/// Reads one response with a Content-Length body from a kept-alive connection.
fn read_one_response(stream: &mut TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.trim().parse().unwrap();
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    head + &String::from_utf8(body).unwrap()
}

#[test]
fn cli_prints_listening_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-twitch"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();

    let url = line
        .strip_prefix("mock-twitch listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = url.trim_end().parse().unwrap();
    assert_ne!(port, 0);
    assert!(line.ends_with('\n'));

    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            b"GET /oauth2/validate?token=secret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"));

    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(stderr, "GET /oauth2/validate 401\n");
}

#[test]
fn cli_reports_taken_port() {
    let occupied = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = occupied.local_addr().unwrap().port();

    let output = Command::new(env!("CARGO_BIN_EXE_mock-twitch"))
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, b"");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn cli_rejects_unknown_arguments() {
    let output = Command::new(env!("CARGO_BIN_EXE_mock-twitch"))
        .args(["--prot", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument \"--prot\""));

    let help = Command::new(env!("CARGO_BIN_EXE_mock-twitch"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--redirect-uri URL"));
}

#[test]
fn library_reports_taken_port() {
    let occupied = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = occupied.local_addr().unwrap().port();
    let options = Options {
        port,
        log_requests: false,
        ..Options::default()
    };
    let error = Server::start(options).expect_err("the port is taken");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

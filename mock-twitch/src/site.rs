//! Static files from `--site DIR`, the generated `config.json`, avatars and the index page.
//!
//! The site is served at `/` and again under `/pages/twitch-wasm-auth/`, the path a GitHub
//! Pages project site has.

use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::http::{Request, Response};
use crate::pages::{escape, index_page};
use crate::seed::{user_by_login, PUBLIC_CLIENT_ID};
use crate::state::Shared;
use crate::url::percent_decode;

/// Path prefix that simulates a GitHub Pages project site.
pub const PROJECT_PREFIX: &str = "/pages/twitch-wasm-auth/";

/// The page's settings, so that it talks to the mock without configuration.
#[derive(Serialize)]
struct SiteConfig<'a> {
    client_id: &'a str,
    id_base: String,
    helix_base: String,
    mock: bool,
}

/// Serves `config.json`, the index page or a static file.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(
            405,
            "Method not allowed: static files answer GET and HEAD only.\n",
        );
    }

    let path = request.path.as_str();
    if path == "/config.json" || path == format!("{PROJECT_PREFIX}config.json") {
        return config(shared);
    }
    if path == PROJECT_PREFIX.trim_end_matches('/') {
        return Response::new(301).with_header("Location", PROJECT_PREFIX);
    }

    let relative = path
        .strip_prefix(PROJECT_PREFIX)
        .unwrap_or_else(|| path.trim_start_matches('/'));
    match &shared.site {
        Some(root) => serve_file(root, relative, request),
        None if relative.is_empty() => Response::html(200, index_page(&shared.origin)),
        None => not_found(),
    }
}

fn config(shared: &Shared) -> Response {
    let config = SiteConfig {
        client_id: PUBLIC_CLIENT_ID,
        id_base: format!("{}/oauth2", shared.origin),
        helix_base: format!("{}/helix", shared.origin),
        mock: true,
    };
    Response::json(200, &config).with_header("Cache-Control", "no-store")
}

/// Serves `relative` (still percent-encoded) from `root`, which is canonical.
fn serve_file(root: &Path, relative: &str, request: &Request) -> Response {
    let decoded = percent_decode(relative, false);

    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return Response::text(
                400,
                "Bad request: the path must not contain \".\" or \"..\" segments.\n",
            );
        }
        // Hidden files such as .git are never part of a built site.
        if segment.starts_with('.') {
            return not_found();
        }
        file.push(segment);
    }

    if file.is_dir() {
        if !request.path.ends_with('/') {
            let mut location = format!("{}/", request.path);
            if !request.query.is_empty() {
                location.push_str(&format!("?{}", request.query));
            }
            return Response::new(301).with_header("Location", &location);
        }
        file.push("index.html");
    }

    // A symbolic link could still lead outside the root.
    let Ok(canonical) = fs::canonicalize(&file) else {
        return not_found();
    };
    if !canonical.starts_with(root) || !canonical.is_file() {
        return not_found();
    }
    match fs::read(&canonical) {
        Ok(bytes) => Response::new(200)
            .with_header("Cache-Control", "no-store")
            .with_body(content_type(&canonical), bytes),
        Err(_) => not_found(),
    }
}

/// Returns the Content-Type for a file name. `.wasm` must be `application/wasm`, which
/// `WebAssembly.instantiateStreaming` requires.
fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        // TypeScript has no registered media type, and text/plain lets a browser show `.d.ts`.
        "ts" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Serves `/avatars/<login>.svg`: a generated picture for each seeded user.
pub fn avatar(request: &Request) -> Response {
    let name = request.path.strip_prefix("/avatars/").unwrap_or("");
    let Some(user) = name.strip_suffix(".svg").and_then(user_by_login) else {
        return not_found();
    };

    // A hue derived from the login, so that each user gets a stable colour.
    let hue = user
        .login
        .bytes()
        .fold(0u32, |sum, byte| (sum * 31 + u32::from(byte)) % 360);
    let initial = user.display_name.chars().next().unwrap_or('?');
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"300\" viewBox=\"0 0 300 300\">\
         <rect width=\"300\" height=\"300\" fill=\"hsl({hue},60%,45%)\"/>\
         <text x=\"150\" y=\"195\" font-family=\"sans-serif\" font-size=\"150\" fill=\"#fff\" text-anchor=\"middle\">{}</text>\
         </svg>\n",
        escape(&initial.to_string())
    );
    Response::new(200)
        .with_header("Cache-Control", "no-store")
        .with_body("image/svg+xml", svg)
}

fn not_found() -> Response {
    Response::text(404, "Not found\n")
}

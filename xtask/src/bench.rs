//! `cargo xtask bench`: bundle sizes and the time from navigation to a validated session.

use std::path::Path;

use crate::build::{build_mock, build_site, OUT_NAME};
use crate::install::{ensure_tools, version_token, Needs, CHROMIUM};
use crate::mock::{MockServer, Output};
use crate::process::{command, output_of, run_streaming};
use crate::{Result, Workspace};

/// Prefix of the lines in which tests/page/bench.mjs reports one page load, in milliseconds.
const SAMPLE_PREFIX: &str = "validated_ms ";

/// Builds the release site, prints its bundle sizes, then times `runs` page loads with a
/// stored session in headless Chromium and prints a markdown record of both.
pub fn bench(workspace: &Workspace, runs: u32) -> Result<()> {
    if runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    ensure_tools(
        workspace,
        Needs {
            lint: false,
            browser: true,
            firefox: false,
        },
    )?;
    let site = build_site(workspace)?;
    let sizes = bundle_sizes(&site)?;

    let binary = build_mock(workspace, true)?;
    let log = workspace.scratch().join("mock-twitch-bench.log");
    let mock = MockServer::start(&binary, &site, 0, Output::Log(log))?;

    let mut samples = Vec::new();
    let mut node = command("node", ["tests/page/bench.mjs"]);
    node.env("MOCK_TWITCH_URL", &mock.url)
        .env("CHROMIUM", CHROMIUM)
        .env("BENCH_RUNS", runs.to_string());
    let success = run_streaming(&mut node, |line| {
        if let Some(value) = line.strip_prefix(SAMPLE_PREFIX) {
            if let Ok(milliseconds) = value.trim().parse::<f64>() {
                samples.push(milliseconds);
            }
        }
    })?;
    if !success {
        mock.print_log_tail();
        return Err("tests/page/bench.mjs failed".into());
    }
    drop(mock);
    if samples.len() != runs as usize {
        return Err(format!(
            "tests/page/bench.mjs reported {} of {runs} page loads",
            samples.len()
        )
        .into());
    }

    let record = Record {
        sizes,
        median: percentile(&samples, 50.0),
        p90: percentile(&samples, 90.0),
        runs,
        machine: machine_description(),
        browser: browser_description(),
        revision: revision(),
        date: output_of(&mut command("date", ["-u", "+%Y-%m-%d"]))
            .map(|date| date.trim().to_owned())
            .unwrap_or_else(|| "date unknown".to_owned()),
    };
    println!();
    println!("Paste into docs/benchmarks.md:");
    println!();
    print!("{}", record.markdown());
    Ok(())
}

/// Size of one bundle file in bytes, as served and after `gzip -9`.
struct FileSize {
    name: String,
    raw: u64,
    gzip: u64,
}

fn bundle_sizes(site: &Path) -> Result<Vec<FileSize>> {
    let mut sizes = Vec::new();
    for name in [
        format!("pkg/{OUT_NAME}_bg.wasm"),
        format!("pkg/{OUT_NAME}.js"),
    ] {
        let path = site.join(&name);
        let raw = std::fs::metadata(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?
            .len();
        let compressed = std::process::Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&path)
            .output()
            .map_err(|error| format!("cannot run gzip: {error}"))?;
        if !compressed.status.success() {
            return Err(format!("`gzip -9 -c {}` failed", path.display()).into());
        }
        let gzip = compressed.stdout.len() as u64;
        println!("{name}: {raw} bytes, {gzip} bytes after gzip -9");
        sizes.push(FileSize { name, raw, gzip });
    }
    Ok(sizes)
}

/// Returns the nearest-rank percentile (0 < `percent` <= 100) of the samples, with the
/// median of an even count as the mean of the two middle samples.
fn percentile(samples: &[f64], percent: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if percent == 50.0 && sorted.len().is_multiple_of(2) {
        let upper = sorted.len() / 2;
        return (sorted[upper - 1] + sorted[upper]) / 2.0;
    }
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Returns the core count and CPU model, such as `2 cores (nproc), AMD EPYC`.
fn machine_description() -> String {
    let cores = output_of(&mut command("nproc", [] as [&str; 0]))
        .map(|text| text.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cores} cores (nproc), {model}")
}

fn browser_description() -> String {
    output_of(&mut command(CHROMIUM, ["--version"]))
        .and_then(|text| version_token(&text).map(|version| format!("Chromium {version}")))
        .unwrap_or_else(|| "Chromium (version unknown)".to_owned())
}

/// Returns the checked-out commit, with `+changes` when the work tree differs from it.
fn revision() -> String {
    let Some(commit) = output_of(&mut command("git", ["rev-parse", "--short", "HEAD"])) else {
        return "no commit".to_owned();
    };
    let dirty = output_of(&mut command("git", ["status", "--porcelain"]))
        .is_some_and(|status| !status.trim().is_empty());
    format!("{}{}", commit.trim(), if dirty { "+changes" } else { "" })
}

/// One benchmark run, as printed for docs/benchmarks.md.
struct Record {
    sizes: Vec<FileSize>,
    median: f64,
    p90: f64,
    runs: u32,
    machine: String,
    browser: String,
    revision: String,
    /// UTC date of the run, `YYYY-MM-DD`.
    date: String,
}

impl Record {
    fn markdown(&self) -> String {
        let mut text = format!("### {}, revision {}\n\n", self.date, self.revision);
        text.push_str(&format!(
            "Measured by `cargo xtask bench` on {}, in headless {} against mock-twitch on \
             127.0.0.1.\n\n",
            self.machine, self.browser
        ));
        text.push_str("| bundle file | bytes | bytes after gzip -9 |\n|---|---:|---:|\n");
        for size in &self.sizes {
            text.push_str(&format!(
                "| `{}` | {} | {} |\n",
                size.name, size.raw, size.gzip
            ));
        }
        let raw: u64 = self.sizes.iter().map(|size| size.raw).sum();
        let gzip: u64 = self.sizes.iter().map(|size| size.gzip).sum();
        text.push_str(&format!("| total | {raw} | {gzip} |\n\n"));
        text.push_str(&format!(
            "| from navigation start to the `twa:validated` mark | page loads | median | p90 |\n\
             |---|---:|---:|---:|\n\
             | reload with a stored session | {} | {:.1} ms | {:.1} ms |\n",
            self.runs, self.median, self.p90
        ));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::{percentile, FileSize, Record};

    #[test]
    fn record_markdown_totals_and_times() {
        let record = Record {
            sizes: vec![
                FileSize {
                    name: "pkg/a_bg.wasm".to_owned(),
                    raw: 1000,
                    gzip: 400,
                },
                FileSize {
                    name: "pkg/a.js".to_owned(),
                    raw: 300,
                    gzip: 100,
                },
            ],
            median: 95.04,
            p90: 120.0,
            runs: 20,
            machine: "2 cores (nproc), Test CPU".to_owned(),
            browser: "Chromium 1.2.3.4".to_owned(),
            revision: "abc1234".to_owned(),
            date: "2026-01-02".to_owned(),
        };
        let markdown = record.markdown();
        assert!(markdown.starts_with("### 2026-01-02, revision abc1234\n"));
        assert!(markdown.contains("| `pkg/a_bg.wasm` | 1000 | 400 |"));
        assert!(markdown.contains("| total | 1300 | 500 |"));
        assert!(markdown.contains("| 20 | 95.0 ms | 120.0 ms |"));
        assert!(markdown.contains("Test CPU"));
    }

    #[test]
    fn percentile_median_odd_and_even() {
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), 2.0);
        assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 50.0), 2.5);
    }

    #[test]
    fn percentile_p90_nearest_rank() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&samples, 90.0), 18.0);
        assert_eq!(percentile(&[5.0], 90.0), 5.0);
    }
}

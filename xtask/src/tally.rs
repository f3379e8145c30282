//! Counts of passed and failed tests, read from the closing lines of each test runner.

/// Passed and failed test counts summed over every runner output line seen so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// Adds the counts from one output line, if it is a closing line of libtest
    /// (`test result: ok. 3 passed; 0 failed; ...`, also printed by wasm-bindgen-test-runner)
    /// or of node's TAP reporter (`# pass 3`, `# fail 0`).
    pub fn observe(&mut self, line: &str) {
        if let Some(rest) = line.trim_start().strip_prefix("test result: ") {
            self.passed += count_before(rest, " passed").unwrap_or(0);
            self.failed += count_before(rest, " failed").unwrap_or(0);
        } else if let Some(count) = line.strip_prefix("# pass ") {
            self.passed += count.trim().parse().unwrap_or(0);
        } else if let Some(count) = line.strip_prefix("# fail ") {
            self.failed += count.trim().parse().unwrap_or(0);
        }
    }
}

/// Reads the number just before `label` in text such as `ok. 3 passed; 0 failed`.
fn count_before(text: &str, label: &str) -> Option<u64> {
    let end = text.find(label)?;
    let start = text[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |index| index + 1);
    text[start..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::Tally;

    fn tally(lines: &[&str]) -> Tally {
        let mut tally = Tally::default();
        for line in lines {
            tally.observe(line);
        }
        tally
    }

    #[test]
    fn libtest_ok_and_failed_lines() {
        let counts = tally(&[
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        ]);
        assert_eq!(
            counts,
            Tally {
                passed: 15,
                failed: 2
            }
        );
    }

    #[test]
    fn wasm_bindgen_test_runner_line() {
        let counts = tally(&[
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.01s",
        ]);
        assert_eq!(
            counts,
            Tally {
                passed: 2,
                failed: 0
            }
        );
    }

    #[test]
    fn node_tap_summary_lines() {
        let counts = tally(&[
            "# tests 5",
            "# suites 0",
            "# pass 4",
            "# fail 1",
            "# cancelled 0",
        ]);
        assert_eq!(
            counts,
            Tally {
                passed: 4,
                failed: 1
            }
        );
    }

    #[test]
    fn other_lines_ignored() {
        let counts = tally(&[
            "test parses_state ... ok",
            "    # pass 7",
            "running 3 tests",
            "warning: 5 passed through",
        ]);
        assert_eq!(counts, Tally::default());
    }
}

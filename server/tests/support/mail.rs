//! A real mail catcher (maildev, from npm) per test that needs one: SMTP on a
//! loopback port, its REST API to read what arrived. It is made at least as
//! strict as a real provider on what the shop relies on: it demands SMTP AUTH,
//! offers neither 8BITMIME nor SMTPUTF8 (so every message must be 7-bit clean),
//! and every message read through it is checked against RFC 5322's rules
//! ([`check_message`]) before a test sees it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const USER: &str = "shop";
const PASSWORD: &str = "catcher-secret";

pub struct MailCatcher {
    child: Option<Child>,
    pub smtp_port: u16,
    pub web_port: u16,
    http: reqwest::Client,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    listener.local_addr().expect("port").port()
}

fn maildev() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/maildev")
}

impl MailCatcher {
    pub async fn start() -> Self {
        let mut catcher = Self {
            child: None,
            smtp_port: free_port(),
            web_port: free_port(),
            http: reqwest::Client::new(),
        };
        catcher.start_again().await;
        catcher
    }

    /// Starts it (again) on the same ports; messages received before are gone.
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "the catcher is running");
        let child = Command::new(maildev())
            .args([
                "--ip",
                "127.0.0.1",
                "--smtp",
                &self.smtp_port.to_string(),
                "--web",
                &self.web_port.to_string(),
                "--incoming-user",
                USER,
                "--incoming-pass",
                PASSWORD,
                "--hide-extensions",
                "8BITMIME,SMTPUTF8",
                "--mail-directory",
                &std::env::temp_dir()
                    .join(format!("ts-maildev-{}", uuid::Uuid::new_v4()))
                    .display()
                    .to_string(),
                "--silent",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("maildev starts (npm install puts it in node_modules/.bin)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let up = self.http.get(self.api("/healthz")).send().await.is_ok()
                && tokio::net::TcpStream::connect(("127.0.0.1", self.smtp_port))
                    .await
                    .is_ok();
            if up {
                return;
            }
            assert!(Instant::now() < deadline, "maildev did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops it: SMTP connections are refused until [`start_again`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `SMTP_URL` for the shop: plain SMTP on loopback, with the catcher's login.
    pub fn smtp_url(&self) -> String {
        format!("smtp://{USER}:{PASSWORD}@127.0.0.1:{}", self.smtp_port)
    }

    /// `SMTP_URL` with a wrong password (the catcher refuses to take mail).
    pub fn smtp_url_with_wrong_password(&self) -> String {
        format!("smtp://{USER}:wrong@127.0.0.1:{}", self.smtp_port)
    }

    fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web_port)
    }

    /// Every message received, oldest first, each checked by [`check_message`].
    pub async fn messages(&self) -> Vec<Value> {
        let list: Vec<Value> = self
            .http
            .get(self.api("/email"))
            .send()
            .await
            .expect("maildev answers")
            .json()
            .await
            .expect("maildev's list");
        for message in &list {
            let raw = self.source(message).await;
            if let Err(problem) = check_message(&raw) {
                panic!("a real provider would refuse this message: {problem}\n{raw}");
            }
        }
        list
    }

    /// Messages to `address`.
    pub async fn to(&self, address: &str) -> Vec<Value> {
        self.messages()
            .await
            .into_iter()
            .filter(|m| {
                m["to"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|t| t["address"] == address))
            })
            .collect()
    }

    /// Waits until `address` has `count` messages, and returns them.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.to(address).await;
            if got.len() >= count {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{address} got {} messages, not {count}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The message as it came over SMTP.
    pub async fn source(&self, message: &Value) -> String {
        let id = message["id"].as_str().expect("message id");
        self.http
            .get(self.api(&format!("/email/{id}/source")))
            .send()
            .await
            .expect("maildev answers")
            .text()
            .await
            .expect("message source")
    }

    /// An attachment's bytes, by its file name as maildev lists it.
    pub async fn attachment(&self, message: &Value, file_name: &str) -> Vec<u8> {
        let id = message["id"].as_str().expect("message id");
        self.http
            .get(self.api(&format!("/email/{id}/attachment/{file_name}")))
            .send()
            .await
            .expect("maildev answers")
            .bytes()
            .await
            .expect("attachment")
            .to_vec()
    }
}

impl Drop for MailCatcher {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The first link in a message's plain text that starts with `prefix`.
pub fn link_in(message: &Value, prefix: &str) -> String {
    let text = message["text"].as_str().expect("a plain-text part");
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link to {prefix} in:\n{text}"));
    text[start..]
        .split_whitespace()
        .next()
        .expect("a link")
        .to_string()
}

/// What a real SMTP provider and mail client insist on (RFC 5322 and 5321),
/// and this catcher offers no leniency about: lines of at most 998 octets
/// ended by CRLF, only 7-bit data (no 8BITMIME or SMTPUTF8 was offered), and
/// the header fields every message must carry, plus the `Message-ID` receivers
/// drop duplicates by.
pub fn check_message(raw: &str) -> Result<(), String> {
    if !raw.is_ascii() {
        return Err("8-bit data, but the server offered no 8BITMIME/SMTPUTF8".into());
    }
    let body = raw.strip_suffix("\r\n").unwrap_or(raw);
    for (n, line) in body.split("\r\n").enumerate() {
        if line.contains('\n') || line.contains('\r') {
            return Err(format!("line {} has a bare CR or LF", n + 1));
        }
        if line.len() > 998 {
            return Err(format!(
                "line {} is {} octets long (> 998)",
                n + 1,
                line.len()
            ));
        }
    }
    let headers = body
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    for field in [
        "date:",
        "from:",
        "to:",
        "subject:",
        "message-id:",
        "mime-version:",
    ] {
        if !headers.split("\r\n").any(|line| line.starts_with(field)) {
            return Err(format!("no {field} header"));
        }
    }
    Ok(())
}

//! HTML pages: the consent page, the device activation pages, error pages and the index.
//!
//! The pages contain no script, so a strict Content-Security-Policy applies, and test
//! automation finds the controls by their `data-testid` attributes.

use crate::device_codes::DecideOutcome;
use crate::seed::{CONFIDENTIAL_CLIENT_ID, PUBLIC_CLIENT_ID, USERS};

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f7f7f8;color:#0e0e10;margin:0}\
main{max-width:28rem;margin:3rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;\
box-shadow:0 1px 4px rgba(0,0,0,.15)}\
.banner{font-size:.8rem;color:#53535f}\
label{display:block;margin:1rem 0 .25rem}\
select,input[type=text]{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}\
.buttons{display:flex;gap:.5rem;margin-top:1.5rem}\
button{flex:1;padding:.6rem;font-size:1rem;border-radius:4px;border:1px solid #9147ff;cursor:pointer}\
.primary{background:#9147ff;color:#fff}.secondary{background:#fff;color:#9147ff}\
code{background:#efeff1;padding:0 .2rem}";

/// Fields of the consent form, echoed in hidden inputs so that the POST can redo every check.
#[derive(Debug)]
pub struct ConsentForm<'a> {
    pub app_name: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub response_type: &'a str,
    /// The `scope` parameter exactly as received.
    pub scope: &'a str,
    pub scopes: &'a [String],
    pub state: Option<&'a str>,
    pub force_verify: Option<&'a str>,
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(character),
        }
    }
    escaped
}

fn layout(title: &str, content: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} - mock-twitch</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <p class=\"banner\">mock-twitch: a local stand-in for Twitch</p>\n{content}</main>\n</body>\n</html>\n",
        title = escape(title)
    )
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
        escape(name),
        escape(value)
    )
}

/// Returns the user picker: a select of the seeded users with the first one selected.
fn user_select() -> String {
    let mut html = String::from(
        "<label for=\"login\">Sign in as</label>\n<select id=\"login\" name=\"login\" data-testid=\"user-select\">\n",
    );
    for (index, user) in USERS.iter().enumerate() {
        let selected = if index == 0 { " selected" } else { "" };
        html.push_str(&format!(
            "<option value=\"{}\"{selected}>{} ({})</option>\n",
            escape(user.login),
            escape(user.display_name),
            escape(user.login)
        ));
    }
    html.push_str("</select>\n");
    html
}

/// Renders the consent page of the implicit flow, which posts back to `/oauth2/authorize`.
pub fn consent_page(form: &ConsentForm) -> String {
    let scope_list = if form.scopes.is_empty() {
        "<p>No permissions beyond your public profile.</p>\n".to_string()
    } else {
        let items: String = form
            .scopes
            .iter()
            .map(|scope| format!("<li><code>{}</code></li>\n", escape(scope)))
            .collect();
        format!("<p>It requests these permissions:</p>\n<ul data-testid=\"scope-list\">\n{items}</ul>\n")
    };

    let mut fields = hidden("client_id", form.client_id)
        + &hidden("redirect_uri", form.redirect_uri)
        + &hidden("response_type", form.response_type)
        + &hidden("scope", form.scope);
    if let Some(state) = form.state {
        fields += &hidden("state", state);
    }
    if let Some(force_verify) = form.force_verify {
        fields += &hidden("force_verify", force_verify);
    }

    let content = format!(
        "<h1>Authorize <span data-testid=\"app-name\">{app}</span></h1>\n\
         <p><strong>{app}</strong> wants to access your account.</p>\n{scope_list}\
         <form method=\"post\" action=\"/oauth2/authorize\">\n{fields}{users}\
         <div class=\"buttons\">\n\
         <button type=\"submit\" name=\"decision\" value=\"cancel\" class=\"secondary\" data-testid=\"cancel-button\">Cancel</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"authorize\" class=\"primary\" data-testid=\"authorize-button\">Authorize</button>\n\
         </div>\n</form>\n",
        app = escape(form.app_name),
        users = user_select(),
    );
    layout("Authorize", &content)
}

/// Renders the device activation page with `user_code` filled in.
pub fn activation_page(user_code: &str) -> String {
    let content = format!(
        "<h1>Activate your device</h1>\n\
         <p>Enter the code shown on your device.</p>\n\
         <form method=\"post\" action=\"/activate\">\n\
         <label for=\"user_code\">Code</label>\n\
         <input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"{code}\" autocomplete=\"off\" data-testid=\"user-code-input\">\n\
         {users}<div class=\"buttons\">\n\
         <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" data-testid=\"deny-button\">Deny</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"approve\" class=\"primary\" data-testid=\"approve-button\">Approve</button>\n\
         </div>\n</form>\n",
        code = escape(user_code),
        users = user_select(),
    );
    layout("Activate", &content)
}

/// Renders the page after an approval or denial. `data-result` is `approved`, `denied`,
/// `unknown` or `expired`.
pub fn activation_result_page(outcome: &DecideOutcome, user_code: &str) -> String {
    let (result, message) = match outcome {
        DecideOutcome::Approved => (
            "approved",
            "Device approved. You can return to your device.",
        ),
        DecideOutcome::Denied => ("denied", "Access denied. The device will not be connected."),
        DecideOutcome::Unknown => (
            "unknown",
            "Unknown code. It may be mistyped or already used.",
        ),
        DecideOutcome::Expired => (
            "expired",
            "This code has expired. Start again on your device.",
        ),
    };
    let content = format!(
        "<h1>Activate your device</h1>\n\
         <p data-testid=\"activate-result\" data-result=\"{result}\">{message}</p>\n\
         <p>Code: <code>{code}</code></p>\n<p><a href=\"/activate\">Enter another code</a></p>\n",
        code = escape(user_code),
    );
    layout("Activate", &content)
}

/// Renders an error page with a title and a one-paragraph explanation.
pub fn error_page(title: &str, message: &str) -> String {
    let content = format!(
        "<h1>{}</h1>\n<p data-testid=\"error-message\">{}</p>\n",
        escape(title),
        escape(message)
    );
    layout(title, &content)
}

/// Renders the page at `/` when no site directory is served.
pub fn index_page(origin: &str) -> String {
    let content = format!(
        "<h1>mock-twitch is running</h1>\n\
         <p>OAuth endpoints: <code>{origin}/oauth2</code></p>\n\
         <p>Helix: <code>{origin}/helix</code></p>\n\
         <p>Public client id: <code>{PUBLIC_CLIENT_ID}</code></p>\n\
         <p>Confidential client id: <code>{CONFIDENTIAL_CLIENT_ID}</code></p>\n\
         <p><a href=\"/activate\">Activate a device</a></p>\n",
        origin = escape(origin),
    );
    layout("mock-twitch", &content)
}

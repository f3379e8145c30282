//! Seed data: the clients, users and moderators every server starts with, and the default
//! lifetimes of tokens and device codes.

/// Client id of the seeded Public app. Public apps may refresh tokens without a secret.
pub const PUBLIC_CLIENT_ID: &str = "mockpublicclient00000000000001";

/// Client id of the seeded Confidential app. Refreshing its tokens requires
/// [`CONFIDENTIAL_CLIENT_SECRET`].
pub const CONFIDENTIAL_CLIENT_ID: &str = "mockconfidentialclient00000001";

/// Client secret of the seeded Confidential app.
pub const CONFIDENTIAL_CLIENT_SECRET: &str = "mockconfidentialsecret00000001";

/// Lifetime in seconds of implicit-grant tokens, about 62 days. Twitch reports about
/// 5.2 to 5.6 million seconds from validate for a new implicit token.
pub const IMPLICIT_TOKEN_LIFETIME_SECS: u64 = 5_400_000;

/// Lifetime in seconds of access tokens from the device flow and from refreshing.
pub const DEVICE_TOKEN_LIFETIME_SECS: u64 = 14_400;

/// Lifetime in seconds of an unused refresh token (30 days).
pub const REFRESH_TOKEN_LIFETIME_SECS: u64 = 30 * 24 * 60 * 60;

/// Default lifetime in seconds of a device code. The control API can shorten it.
pub const DEVICE_CODE_LIFETIME_SECS: u64 = 1800;

/// Default minimum interval in seconds between two polls of one device code.
pub const DEVICE_POLL_INTERVAL_SECS: u64 = 5;

/// Kind of OAuth client, as registered in the Twitch developer console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    /// An app without a secret, such as a page or a device. It may refresh without a secret.
    Public,
    /// An app with a secret, which it must send to refresh or exchange a code.
    Confidential,
}

/// A seeded OAuth client.
#[derive(Debug, Clone, Copy)]
pub struct SeedClient {
    /// Client id.
    pub id: &'static str,
    /// Application name shown on the consent page.
    pub name: &'static str,
    /// Public or Confidential.
    pub client_type: ClientType,
    /// Client secret, for Confidential clients.
    pub secret: Option<&'static str>,
}

/// The seeded clients.
pub const CLIENTS: [SeedClient; 2] = [
    SeedClient {
        id: PUBLIC_CLIENT_ID,
        name: "Mock Public App",
        client_type: ClientType::Public,
        secret: None,
    },
    SeedClient {
        id: CONFIDENTIAL_CLIENT_ID,
        name: "Mock Confidential App",
        client_type: ClientType::Confidential,
        secret: Some(CONFIDENTIAL_CLIENT_SECRET),
    },
];

/// A seeded Twitch user, with the fields of a Helix user object. `profile_image_url` is
/// built from the server's origin as `{origin}/avatars/{login}.svg`.
#[derive(Debug, Clone, Copy)]
pub struct SeedUser {
    /// User id.
    pub id: &'static str,
    /// Login name, lower-case.
    pub login: &'static str,
    /// Display name.
    pub display_name: &'static str,
    /// Helix `broadcaster_type`: `"partner"`, `"affiliate"` or `""`.
    pub broadcaster_type: &'static str,
    /// Channel description.
    pub description: &'static str,
    /// E-mail address, sent only to the user's own token with `user:read:email`.
    pub email: &'static str,
    /// Account creation time, RFC 3339.
    pub created_at: &'static str,
}

/// The seeded users. The first one is the default on consent and activation pages and for
/// tokens minted by the control API.
pub const USERS: [SeedUser; 4] = [
    SeedUser {
        id: "141981764",
        login: "twitchdev",
        display_name: "TwitchDev",
        broadcaster_type: "partner",
        description: "Supporting third-party developers building Twitch integrations from chatbots to game integrations.",
        email: "twitchdev@example.com",
        created_at: "2016-12-14T20:32:28Z",
    },
    SeedUser {
        id: "100000001",
        login: "mockviewer",
        display_name: "MockViewer",
        broadcaster_type: "",
        description: "A seeded viewer account.",
        email: "mockviewer@example.com",
        created_at: "2019-03-01T12:00:00Z",
    },
    SeedUser {
        id: "100000002",
        login: "mockmod",
        display_name: "MockMod",
        broadcaster_type: "",
        description: "A seeded moderator account.",
        email: "mockmod@example.com",
        created_at: "2020-07-15T08:30:00Z",
    },
    SeedUser {
        id: "100000003",
        login: "mockstreamer",
        display_name: "MockStreamer",
        broadcaster_type: "",
        description: "A seeded streamer account.",
        email: "mockstreamer@example.com",
        created_at: "2021-11-20T18:45:00Z",
    },
];

/// A moderator entry of `GET /helix/moderation/moderators`.
#[derive(Debug, Clone, Copy)]
pub struct SeedModerator {
    /// Moderator's user id.
    pub user_id: &'static str,
    /// Moderator's login name.
    pub user_login: &'static str,
    /// Moderator's display name.
    pub user_name: &'static str,
}

/// The moderators that every broadcaster has, in the order Helix pages through them.
pub const MODERATORS: [SeedModerator; 7] = [
    SeedModerator {
        user_id: "100000002",
        user_login: "mockmod",
        user_name: "MockMod",
    },
    SeedModerator {
        user_id: "200000001",
        user_login: "modalpha",
        user_name: "ModAlpha",
    },
    SeedModerator {
        user_id: "200000002",
        user_login: "modbravo",
        user_name: "ModBravo",
    },
    SeedModerator {
        user_id: "200000003",
        user_login: "modcharlie",
        user_name: "ModCharlie",
    },
    SeedModerator {
        user_id: "200000004",
        user_login: "moddelta",
        user_name: "ModDelta",
    },
    SeedModerator {
        user_id: "200000005",
        user_login: "modecho",
        user_name: "ModEcho",
    },
    SeedModerator {
        user_id: "200000006",
        user_login: "modfoxtrot",
        user_name: "ModFoxtrot",
    },
];

/// Returns the seeded user with this id.
pub fn user_by_id(id: &str) -> Option<&'static SeedUser> {
    USERS.iter().find(|user| user.id == id)
}

/// Returns the seeded user with this login, ignoring case as Twitch does.
pub fn user_by_login(login: &str) -> Option<&'static SeedUser> {
    USERS
        .iter()
        .find(|user| user.login.eq_ignore_ascii_case(login))
}

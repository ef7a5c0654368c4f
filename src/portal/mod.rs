//! The portal: gated access to confidential documents.
//!
//! A visitor requests a gated or NDA document from its page; the portal confirms the e-mail
//! address, approves automatically for allow-listed domains (or waits for an admin), mails a
//! grant link whose landing page mints short-lived download tokens, serves watermarked copies and
//! records every step in a keyed, hash-chained audit log. See ARCHITECTURE.md ("Portal") for the threat
//! model and the test that covers each threat.
//!
//! - [`keys`]: master keys and per-purpose derived keys (rotation)
//! - [`token`]: `v1.<key-id>.<payload>.<mac>` tokens and CSRF tokens
//! - [`store`]: requests, grants, audit chain, rate limits (sqlx: SQLite or PostgreSQL)
//! - [`audit`]: the chain's canonical form, its keyed MACs and verification; its
//!   [`audit::checkpoint`]s, signed exports of the head that reveal truncation
//! - [`housekeeping`]: background jobs (expiry, audit checkpoints)
//! - [`private`]: files and folders only the portal's user may read (store, keys, file area)
//! - [`mail`]: outbox or SMTP (lettre)
//! - [`notify`]: `candor notify`: notices of what the site published to its subscribers, through
//!   an outbox in the store
//! - [`files`]: the file area of executed agreements
//! - `app`: the running [`Portal`], its [`Settings`] and its [`Catalogue`] of the site (made from
//!   what a build published, [`crate::site::published`])
//! - `admin/`: the admin console (sign-in link, second factor, sessions, requests and grants)
//! - `routes`: every route in one table; `guards`: what all route groups share (client, CSRF,
//!   rate limits, standard responses); `request`: the public request flow; `downloads`: grant
//!   landing and watermarked downloads; `subscribe`: subscriptions (double opt-in, preferences,
//!   one-click unsubscribe); `objection`: objections to subprocessor changes (form, proof
//!   of the address, record, mails); `api`: the admin API; `conclude/`: concluding agreements
//!   online, signed as PDF (start, form, execute, agreements); `pages`: their HTML;
//!   [`policy`]: the request log line and timeout of every route
//!
//! May use: [`crate::site`] (only its published results and config types) and [`crate::pdf`];
//! never [`crate::server`], which mounts it.

mod admin;
mod api;
mod app;
pub mod audit;
mod conclude;
mod downloads;
pub mod files;
mod guards;
pub mod housekeeping;
pub mod keys;
pub mod mail;
pub mod notify;
mod objection;
mod pages;
pub mod policy;
pub mod private;
mod request;
mod routes;
pub mod store;
mod subscribe;
pub mod token;

pub use app::{
    ADMIN_HASH_ENV, AGREEMENT_CERTIFICATE_ENV, AGREEMENT_KEY_ENV, Catalogue, GatedDocument,
    LIMITS_ENV, Limits, Nda, Portal, Published, Settings,
};
pub use routes::router;

//! Concluding agreements online: the routes and pages for documents marked `signable: true`.
//!
//! 1. `GET/POST /{lang}/sign/{doc}`: the customer gives an e-mail address; the portal mails a
//!    signing link (a [`Purpose::Sign`] token naming a signing request).
//! 2. `GET /{lang}/sign/link/{token}`: before the address is proven, a button that proves it
//!    (`POST`, so mail scanners that fetch links change nothing); afterwards the form: the
//!    contracting party, the signatory, the language version, the agreement's text and the
//!    acceptance.
//! 3. `POST /{lang}/sign/link/{token}/execute`: validates the form (shown again with every value
//!    and a localized message per field when something is wrong), composes the executed agreement
//!    ([`crate::pdf::executed`]), signs it ([`crate::pdf::pades`]), stores it in the file area, records it
//!    with its SHA-256 in the audit chain (using the signing request up: each link concludes one
//!    agreement), mails it to the signatory and the legal contact and links "Your agreements".
//! 4. `GET/POST /{lang}/agreements/{token}`: the customer's executed agreements (every agreement
//!    concluded with the proven address), each downloadable through a short-lived
//!    [`Purpose::AgreementFile`] token at `GET /agreements/download/{token}`.

mod agreements;
mod execute;
mod form;
mod start;

pub(super) use agreements::{agreement_file, agreements_download, agreements_page};
pub(super) use execute::execute;
pub(super) use start::{link_confirm, link_page, start_form, start_submit};

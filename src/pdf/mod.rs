//! PDF work of the portal: stamping gated documents with their recipient ([`watermark`]),
//! composing executed agreements ([`executed`]) and signing them as PAdES ([`pades`]); both
//! draw text with the helpers of [`text`] (the executed agreement in Helvetica, the watermark in an
//! embedded subset of Noto Sans).
//!
//! Owns everything that reads or writes PDF bytes (lopdf) and the CMS/X.509 signatures.
//! May use: nothing else of the crate; the portal calls it with plain values.

pub mod executed;
pub mod pades;
pub(crate) mod text;
pub mod watermark;

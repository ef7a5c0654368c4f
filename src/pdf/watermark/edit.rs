//! Editing the PDF: a page's inherited attributes, what its content leaves open, its resources
//! with the stamp fonts added, and the document information and file identifier of the copy.

use std::collections::HashSet;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

use super::stamp::{MAX_DECOMPRESSED_BYTES, MAX_DOCUMENT_CHARS, Stamp, WatermarkError};
use crate::pdf::text::clean_field;

/// Deepest page tree walked when looking for inherited page attributes.
pub(super) const MAX_TREE_DEPTH: usize = 64;
/// Most graphics states left open by a page that are closed before the stamp; past this the
/// page is treated as broken beyond repair and the stamp is drawn where its state leaves it.
pub(super) const MAX_OPEN_STATES: usize = 1024;
/// Preferred name of the stamp font in the page resources (made unique per page if taken).
pub(super) const FONT_RESOURCE_NAME: &str = "CandorStamp";
/// Preferred name of the fallback font in the page resources, when a stamp uses it.
pub(super) const FALLBACK_RESOURCE_NAME: &str = "CandorStampFallback";

/// Adds `object` to `doc`, failing cleanly when the document's object numbers are exhausted.
pub(super) fn add_object(
    doc: &mut Document,
    object: impl Into<Object>,
) -> Result<ObjectId, WatermarkError> {
    doc.try_add_object(object)
        .map_err(|_| WatermarkError::Damaged("it uses the highest possible object number"))
}

/// The value of an inheritable page attribute (`/MediaBox`, `/CropBox`, `/Rotate`,
/// `/Resources`), looked up on the page and then up its `/Parent` chain, with the id of the node
/// that holds it. Cycles and absurdly deep trees end the search.
pub(super) fn inherited<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    key: &[u8],
) -> Option<(ObjectId, &'a Object)> {
    let mut node_id = page_id;
    let mut seen = HashSet::new();
    for _ in 0..MAX_TREE_DEPTH {
        if !seen.insert(node_id) {
            return None;
        }
        let node = doc.get_dictionary(node_id).ok()?;
        if let Ok(value) = node.get(key) {
            return Some((node_id, value));
        }
        node_id = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// A number, following references.
pub(super) fn number(doc: &Document, object: &Object) -> Option<f64> {
    let (_, object) = doc.dereference(object).ok()?;
    object.as_float().ok().map(f64::from)
}

/// The page's content streams as they appear in its `/Contents` (a stream or an array of them,
/// possibly behind a reference).
pub(super) fn content_references(doc: &Document, page: &Dictionary) -> Vec<Object> {
    match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(items)) => items.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// What a page's content leaves open at its end, to be closed before the stamp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct OpenState {
    /// Graphics states saved with `q` and never restored.
    pub(super) saved_states: usize,
    /// Whether a text object (`BT`) is left unclosed.
    pub(super) in_text: bool,
}

/// Scans a page's content for unbalanced `q`/`Q` and `BT`/`ET`. Well-formed content leaves
/// nothing open; content that cannot be read is assumed to be balanced.
pub(super) fn open_state(doc: &Document, page_id: ObjectId) -> OpenState {
    let Ok(content) = doc.get_page_content_with_limit(page_id, MAX_DECOMPRESSED_BYTES) else {
        return OpenState::default();
    };
    let mut state = OpenState::default();
    for operation in Content::decode_iter(&content) {
        let Ok(operation) = operation else {
            break;
        };
        match operation.operator.as_str() {
            "q" => state.saved_states = state.saved_states.saturating_add(1),
            "Q" => state.saved_states = state.saved_states.saturating_sub(1),
            "BT" => state.in_text = true,
            "ET" => state.in_text = false,
            _ => {}
        }
    }
    state.saved_states = state.saved_states.min(MAX_OPEN_STATES);
    state
}

/// Where a page's effective `/Resources` dictionary comes from; pages with the same source share
/// one stamped copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum ResourcesSource {
    /// An indirect dictionary (the usual case, possibly shared by many pages).
    Object(ObjectId),
    /// A dictionary written directly into this page or page tree node.
    DirectIn(ObjectId),
    /// No usable resources at all.
    None,
}

/// Finds where the page's resources come from, following inheritance and references.
pub(super) fn resources_source(doc: &Document, page_id: ObjectId) -> ResourcesSource {
    let Some((node_id, value)) = inherited(doc, page_id, b"Resources") else {
        return ResourcesSource::None;
    };
    match doc.dereference(value) {
        Ok((Some(id), Object::Dictionary(_))) => ResourcesSource::Object(id),
        Ok((None, Object::Dictionary(_))) => ResourcesSource::DirectIn(node_id),
        _ => ResourcesSource::None,
    }
}

/// A copy of the resources from `source` with the stamp's fonts (`font_ids`: the main font,
/// then the fallback if the stamp uses it) added to its `/Font` dictionary under names not used
/// yet, and those names in the same order. The original dictionaries are copied, not changed,
/// so nothing else that refers to them (form XObjects, annotation appearances) is affected.
pub(super) fn resources_with_fonts(
    doc: &Document,
    source: ResourcesSource,
    font_ids: &[ObjectId],
) -> (Dictionary, Vec<Vec<u8>>) {
    let mut resources = match source {
        ResourcesSource::Object(id) => doc.get_dictionary(id).ok().cloned(),
        ResourcesSource::DirectIn(node_id) => doc
            .get_dictionary(node_id)
            .ok()
            .and_then(|node| node.get(b"Resources").ok())
            .and_then(|value| value.as_dict().ok())
            .cloned(),
        ResourcesSource::None => None,
    }
    .unwrap_or_default();

    let mut fonts = resources
        .get(b"Font")
        .ok()
        .and_then(|value| doc.dereference(value).ok())
        .and_then(|(_, value)| value.as_dict().ok())
        .cloned()
        .unwrap_or_default();
    let mut names = Vec::with_capacity(font_ids.len());
    for (index, &font_id) in font_ids.iter().enumerate() {
        let preferred = if index == 0 {
            FONT_RESOURCE_NAME
        } else {
            FALLBACK_RESOURCE_NAME
        };
        let mut name = preferred.as_bytes().to_vec();
        let mut counter = 1_u32;
        while fonts.has(&name) {
            counter += 1;
            name = format!("{preferred}{counter}").into_bytes();
        }
        fonts.set(name.clone(), Object::Reference(font_id));
        names.push(name);
    }
    resources.set("Font", Object::Dictionary(fonts));
    (resources, names)
}

/// Records the stamp in the document information dictionary, keeping its other entries; creates
/// the dictionary if there is none.
pub(super) fn set_info(
    doc: &mut Document,
    stamp: &Stamp,
    text: &str,
) -> Result<(), WatermarkError> {
    let existing_id = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|value| doc.dereference(value).ok())
        .and_then(|(id, value)| id.filter(|_| value.as_dict().is_ok()));
    let info_id = match existing_id {
        Some(id) => id,
        None => {
            // A direct dictionary in the trailer (not allowed, but seen) is moved into an object;
            // anything else there is replaced.
            let info = match doc.trailer.get(b"Info") {
                Ok(Object::Dictionary(info)) => info.clone(),
                _ => Dictionary::new(),
            };
            let id = add_object(doc, info)?;
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc
        .get_dictionary_mut(info_id)
        .map_err(|_| WatermarkError::Damaged("the document information is not a dictionary"))?;

    let subject = match info
        .get(b"Subject")
        .ok()
        .and_then(|value| lopdf::decode_text_string(value).ok())
        .map(|old| clean_field(&old, 1000))
        .filter(|old| !old.is_empty())
    {
        Some(old) => format!("{text} | {old}"),
        None => text.to_owned(),
    };
    info.set("Subject", lopdf::text_string(&subject));
    info.set("CandorRecipient", lopdf::text_string(&stamp.recipient()));
    info.set(
        "CandorDocument",
        lopdf::text_string(&clean_field(stamp.document, MAX_DOCUMENT_CHARS)),
    );
    info.set(
        "CandorDownloaded",
        lopdf::text_string(&stamp.time.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    );
    info.set(
        "ModDate",
        Object::string_literal(stamp.time.format("D:%Y%m%d%H%M%SZ").to_string()),
    );
    Ok(())
}

/// Gives the copy its own second file identifier (the first, which names the document across
/// versions, is kept), derived from the original identifier and the stamp.
pub(super) fn set_file_id(doc: &mut Document, text: &str) {
    let Ok(Object::Array(ids)) = doc.trailer.get_mut(b"ID") else {
        return;
    };
    let [Object::String(first, _), Object::String(second, format)] = ids.as_mut_slice() else {
        return;
    };
    let digest = Sha256::new()
        .chain_update(first.as_slice())
        .chain_update(text.as_bytes())
        .finalize();
    *second = digest[..16].to_vec();
    *format = StringFormat::Hexadecimal;
}

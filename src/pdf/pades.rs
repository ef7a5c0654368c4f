//! PDF signatures (PAdES baseline B-B): the executed agreements the portal produces are signed by
//! the company's signing certificate, so that any PDF reader shows them as signed and unmodified.
//!
//! [`sign_pdf`] adds an invisible signature field to a [`lopdf::Document`], writes the file with a
//! zero-filled `/Contents` placeholder, computes SHA-256 over the whole file except that
//! placeholder (the `/ByteRange`) and embeds a detached CMS `SignedData` (RFC 5652) built with
//! RustCrypto's `cms` types: `/SubFilter /ETSI.CAdES.detached`, signed attributes content-type,
//! message-digest and the ESS signing-certificate-v2 that binds the signer's certificate (the
//! signing time is the dictionary's `/M`, as PAdES asks, not a CMS attribute).
//!
//! An [`Identity`] is the private key (ECDSA P-256 or RSA, PKCS#8 or SEC1/PKCS#1 PEM) and its
//! certificate chain (PEM, signer first). [`Identity::load`] refuses a key file that others can
//! read and a certificate that does not match the key; [`Identity::generate`] creates a P-256 key
//! and a self-signed certificate (`candor keygen --certificate`, and the sample identity of a
//! preview).

use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Encode as _, EncodePem as _, Sequence};
use lopdf::{Dictionary, Document, Object, StringFormat};
use sha2::{Digest as _, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::spki::{AlgorithmIdentifierOwned, EncodePublicKey as _};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// Bytes reserved for the CMS signature in the file (a chain of a few RSA-4096 certificates fits).
const RESERVED: usize = 16 * 1024;
/// Placeholder `/ByteRange` values, replaced once the offsets are known.
const RANGE_PLACEHOLDER: [i64; 3] = [1_111_111_111, 2_222_222_222, 3_333_333_333];

/// What went wrong with keys, certificates or signing.
#[derive(Debug, thiserror::Error)]
pub enum PadesError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The private key file is readable by others.
    #[error(
        "{}: the private key file has mode {mode:04o}; it must be readable by its owner only (run `chmod 600 {}`)",
        path.display(), path.display()
    )]
    Permissions {
        /// The key file.
        path: PathBuf,
        /// Its mode bits.
        mode: u32,
    },
    /// The key file holds no key we can use.
    #[error(
        "{}: not a private key Candor can sign with ({why}); use an ECDSA P-256 or RSA key in PEM (PKCS#8, SEC1 or PKCS#1), e.g. from `candor keygen --certificate`",
        path.display()
    )]
    Key {
        /// The key file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The certificate file holds no usable certificate.
    #[error("{}: not a PEM certificate chain ({why}); put the signing certificate first, then its issuers", path.display())]
    Certificate {
        /// The certificate file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The certificate does not belong to the key.
    #[error(
        "{} is not the certificate of the key in {}; the first certificate in the file must be the one issued for that key",
        cert.display(), key.display()
    )]
    Mismatch {
        /// The key file.
        key: PathBuf,
        /// The certificate file.
        cert: PathBuf,
    },
    /// Building a certificate or the signature failed.
    #[error("cannot sign: {0}")]
    Crypto(String),
    /// The PDF could not be written or prepared for signing.
    #[error("cannot prepare the PDF for signing: {0}")]
    Pdf(String),
}

/// The signing key.
enum Key {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

impl Key {
    fn public_key_der(&self) -> Result<Vec<u8>, PadesError> {
        let der = match self {
            Key::P256(k) => k.verifying_key().to_public_key_der(),
            Key::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref().as_ref()).to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec())
            .map_err(|e| PadesError::Crypto(e.to_string()))
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        match self {
            Key::P256(_) => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
            Key::Rsa(_) => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(Any::null()),
            },
        }
    }

    fn sign(&self, data: &[u8]) -> Vec<u8> {
        use rsa::signature::{SignatureEncoding as _, Signer as _};
        match self {
            Key::P256(k) => {
                let sig: p256::ecdsa::DerSignature = k.sign(data);
                sig.to_vec()
            }
            Key::Rsa(k) => k.sign(data).to_vec(),
        }
    }
}

/// A signing key with its certificate chain (signer first).
pub struct Identity {
    key: Key,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Identity")
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

/// The PEM files of a new identity.
pub struct GeneratedIdentity {
    /// The identity.
    pub identity: Identity,
    /// The private key, PKCS#8 PEM (secret: write it with mode 0600).
    pub key_pem: zeroize::Zeroizing<String>,
    /// The self-signed certificate, PEM.
    pub certificate_pem: String,
}

impl Identity {
    /// A new ECDSA P-256 key and a self-signed certificate for `common_name` of `organization`,
    /// valid from now for `days` days.
    pub fn generate(
        common_name: &str,
        organization: &str,
        days: u32,
    ) -> Result<GeneratedIdentity, PadesError> {
        use der::pem::LineEnding;
        use p256::pkcs8::EncodePrivateKey as _;
        use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
        let crypto = |e: &dyn std::fmt::Display| PadesError::Crypto(e.to_string());
        let key = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
        let subject = x509_cert::name::Name::from_str(&format!(
            "CN={},O={}",
            rdn_escape(common_name),
            rdn_escape(organization)
        ))
        .map_err(|e| crypto(&e))?;
        let mut serial = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        let serial =
            x509_cert::serial_number::SerialNumber::new(&serial).map_err(|e| crypto(&e))?;
        let validity = x509_cert::time::Validity::from_now(std::time::Duration::from_secs(
            u64::from(days.max(1)) * 86_400,
        ))
        .map_err(|e| crypto(&e))?;
        let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
            .map_err(|e| crypto(&e))?;
        let builder = CertificateBuilder::new(
            Profile::Leaf {
                issuer: subject.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            serial,
            validity,
            subject,
            spki,
            &key,
        )
        .map_err(|e| crypto(&e))?;
        let certificate = builder
            .build::<p256::ecdsa::DerSignature>()
            .map_err(|e| crypto(&e))?;
        let certificate_pem = certificate.to_pem(LineEnding::LF).map_err(|e| crypto(&e))?;
        let key_pem = key.to_pkcs8_pem(LineEnding::LF).map_err(|e| crypto(&e))?;
        Ok(GeneratedIdentity {
            identity: Identity {
                key: Key::P256(key),
                chain: vec![certificate],
            },
            key_pem,
            certificate_pem,
        })
    }

    /// Loads the key from `key_path` (which only its owner may read) and the chain from
    /// `certificate_path` (PEM, the key's certificate first), and checks that they belong together.
    pub fn load(key_path: &Path, certificate_path: &Path) -> Result<Identity, PadesError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| PadesError::Io { path, source }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(key_path)
                .map_err(io(key_path))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(PadesError::Permissions {
                    path: key_path.to_owned(),
                    mode: mode & 0o7777,
                });
            }
        }
        let key_text =
            zeroize::Zeroizing::new(std::fs::read_to_string(key_path).map_err(io(key_path))?);
        let key = parse_key(&key_text).map_err(|why| PadesError::Key {
            path: key_path.to_owned(),
            why,
        })?;
        let cert_bytes = std::fs::read(certificate_path).map_err(io(certificate_path))?;
        let chain =
            Certificate::load_pem_chain(&cert_bytes).map_err(|e| PadesError::Certificate {
                path: certificate_path.to_owned(),
                why: e.to_string(),
            })?;
        let Some(first) = chain.first() else {
            return Err(PadesError::Certificate {
                path: certificate_path.to_owned(),
                why: "no certificate in it".into(),
            });
        };
        let cert_key = first
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| PadesError::Crypto(e.to_string()))?;
        if cert_key != key.public_key_der()? {
            return Err(PadesError::Mismatch {
                key: key_path.to_owned(),
                cert: certificate_path.to_owned(),
            });
        }
        Ok(Identity { key, chain })
    }

    /// The signer certificate's subject (`CN=…,O=…`).
    pub fn subject(&self) -> String {
        self.chain
            .first()
            .map(|c| c.tbs_certificate.subject.to_string())
            .unwrap_or_default()
    }

    /// SHA-256 fingerprint of the signer certificate (hex, upper case, colon-separated), as PDF
    /// readers and `openssl x509 -fingerprint -sha256` show it.
    pub fn fingerprint(&self) -> String {
        let der = self
            .chain
            .first()
            .and_then(|c| c.to_der().ok())
            .unwrap_or_default();
        Sha256::digest(&der)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// When the signer certificate expires.
    pub fn not_after(&self) -> Option<DateTime<Utc>> {
        let t = self.chain.first()?.tbs_certificate.validity.not_after;
        DateTime::from_timestamp(i64::try_from(t.to_unix_duration().as_secs()).ok()?, 0)
    }

    /// A detached CMS signature (DER `ContentInfo`, RFC 5652) over `data`, e.g. an audit
    /// checkpoint; `openssl cms -verify -binary -inform DER -content FILE -in FILE.p7s` checks it.
    pub fn sign_detached(&self, data: &[u8]) -> Result<Vec<u8>, PadesError> {
        self.cms(&Sha256::digest(data))
    }

    /// The detached CMS signature (DER `ContentInfo`) over content whose SHA-256 is `digest`.
    fn cms(&self, digest: &[u8]) -> Result<Vec<u8>, PadesError> {
        let crypto = |e: der::Error| PadesError::Crypto(e.to_string());
        let signer = self
            .chain
            .first()
            .ok_or_else(|| PadesError::Crypto("no certificate".into()))?;
        let sha256 = AlgorithmIdentifierOwned {
            oid: ID_SHA256,
            parameters: None,
        };
        let cert_hash = Sha256::digest(signer.to_der().map_err(crypto)?);
        let signing_certificate = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                cert_hash: OctetString::new(cert_hash.to_vec()).map_err(crypto)?,
            }],
        };
        let attribute = |oid, value: Any| -> Result<Attribute, PadesError> {
            Ok(Attribute {
                oid,
                values: SetOfVec::try_from(vec![value]).map_err(crypto)?,
            })
        };
        let signed_attrs = SetOfVec::try_from(vec![
            attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(crypto)?)?,
            attribute(
                ID_MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest.to_vec()).map_err(crypto)?)
                    .map_err(crypto)?,
            )?,
            attribute(
                ID_SIGNING_CERTIFICATE_V2,
                Any::encode_from(&signing_certificate).map_err(crypto)?,
            )?,
        ])
        .map_err(crypto)?;
        // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
        let signature = self.key.sign(&signed_attrs.to_der().map_err(crypto)?);
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: signer.tbs_certificate.issuer.clone(),
                serial_number: signer.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: self.key.signature_algorithm(),
            signature: OctetString::new(signature).map_err(crypto)?,
            unsigned_attrs: None,
        };
        let certificates = CertificateSet(
            SetOfVec::try_from(
                self.chain
                    .iter()
                    .cloned()
                    .map(CertificateChoices::Certificate)
                    .collect::<Vec<_>>(),
            )
            .map_err(crypto)?,
        );
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(crypto)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(certificates),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(crypto)?),
        };
        ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(crypto)?,
        }
        .to_der()
        .map_err(crypto)
    }
}

/// ESSCertIDv2 (RFC 5035) with the default hash algorithm (SHA-256) and, as CAdES baseline
/// recommends, without `issuerSerial`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035) without policies.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// A value for an RFC 4514 distinguished-name string: the special characters escaped.
fn rdn_escape(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && matches!(c, '#' | ' '))
        {
            out.push('\\');
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    if out.ends_with(' ') {
        out.pop();
        out.push_str("\\ ");
    }
    out
}

fn parse_key(pem: &str) -> Result<Key, String> {
    use p256::pkcs8::DecodePrivateKey as _;
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    if pem.contains("-----BEGIN EC PRIVATE KEY-----") {
        return p256::SecretKey::from_sec1_pem(pem)
            .map(|k| Key::P256(k.into()))
            .map_err(|e| format!("SEC1: {e}"));
    }
    if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
        return rsa::RsaPrivateKey::from_pkcs1_pem(pem)
            .map(rsa_key)
            .map_err(|e| format!("PKCS#1: {e}"))?;
    }
    if !pem.contains("-----BEGIN PRIVATE KEY-----") {
        return Err("no `BEGIN PRIVATE KEY` block".into());
    }
    if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
        return Ok(Key::P256(k));
    }
    match rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
        Ok(k) => rsa_key(k),
        Err(e) => Err(format!("PKCS#8 key that is neither P-256 nor RSA ({e})")),
    }
}

fn rsa_key(key: rsa::RsaPrivateKey) -> Result<Key, String> {
    use rsa::traits::PublicKeyParts as _;
    if key.size() < 256 {
        return Err(format!(
            "an RSA key of {} bits; use at least 2048",
            key.size() * 8
        ));
    }
    Ok(Key::Rsa(Box::new(
        rsa::pkcs1v15::SigningKey::<Sha256>::new(key),
    )))
}

/// What the signature dictionary says about the signing.
#[derive(Debug, Clone)]
pub struct SignatureInfo<'a> {
    /// Who signs (the company).
    pub name: &'a str,
    /// Why (`Executed agreement …`).
    pub reason: &'a str,
    /// Where (the portal's URL).
    pub location: &'a str,
    /// How to reach the signer.
    pub contact: &'a str,
    /// When (the `/M` entry).
    pub time: DateTime<Utc>,
}

/// Signs `doc` with `identity`: returns the bytes of the signed PDF.
pub fn sign_pdf(
    mut doc: Document,
    identity: &Identity,
    info: &SignatureInfo,
) -> Result<Vec<u8>, PadesError> {
    let pdf = |why: &str| PadesError::Pdf(why.to_owned());
    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(b"Sig".to_vec()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    sig.set(
        "ByteRange",
        Object::Array(
            std::iter::once(0)
                .chain(RANGE_PLACEHOLDER)
                .map(Object::Integer)
                .collect(),
        ),
    );
    sig.set(
        "Contents",
        Object::String(vec![0; RESERVED], StringFormat::Hexadecimal),
    );
    sig.set(
        "M",
        Object::string_literal(info.time.format("D:%Y%m%d%H%M%SZ").to_string()),
    );
    sig.set("Name", lopdf::text_string(info.name));
    sig.set("Reason", lopdf::text_string(info.reason));
    sig.set("Location", lopdf::text_string(info.location));
    sig.set("ContactInfo", lopdf::text_string(info.contact));
    let sig_id = doc
        .try_add_object(sig)
        .map_err(|_| pdf("no free object number"))?;

    let page_id = *doc
        .get_pages()
        .values()
        .next_back()
        .ok_or_else(|| pdf("it has no pages"))?;
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", lopdf::text_string("Signature1"));
    widget.set("V", Object::Reference(sig_id));
    widget.set(
        "Rect",
        Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
    );
    // Print + Locked.
    widget.set("F", Object::Integer(132));
    widget.set("P", Object::Reference(page_id));
    let widget_id = doc
        .try_add_object(widget)
        .map_err(|_| pdf("no free object number"))?;

    // The page's annotations (an inline array, or one behind a reference) gain the widget.
    let annots = doc
        .get_dictionary(page_id)
        .ok()
        .and_then(|p| p.get(b"Annots").ok())
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_array().ok().cloned())
        .unwrap_or_default();
    let mut annots = annots;
    annots.push(Object::Reference(widget_id));
    doc.get_dictionary_mut(page_id)
        .map_err(|_| pdf("a page is not a dictionary"))?
        .set("Annots", Object::Array(annots));

    // The catalog's form gains the field.
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| pdf("it has no catalog"))?;
    let mut form = doc
        .get_dictionary(catalog_id)
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_dict().ok().cloned())
        .unwrap_or_default();
    let mut fields = form
        .get(b"Fields")
        .ok()
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_array().ok().cloned())
        .unwrap_or_default();
    fields.push(Object::Reference(widget_id));
    form.set("Fields", Object::Array(fields));
    form.set("SigFlags", Object::Integer(3));
    doc.get_dictionary_mut(catalog_id)
        .map_err(|_| pdf("the catalog is not a dictionary"))?
        .set("AcroForm", Object::Dictionary(form));

    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PadesError::Pdf(e.to_string()))?;

    // The placeholder hex string, `<` and `>` included, is what the byte range leaves out.
    let mut needle = Vec::with_capacity(RESERVED * 2 + 2);
    needle.push(b'<');
    needle.resize(RESERVED * 2 + 1, b'0');
    needle.push(b'>');
    let start = find_once(&out, &needle).ok_or_else(|| pdf("the signature placeholder"))?;
    let end = start + needle.len();
    let range_text = RANGE_PLACEHOLDER
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    let range_at =
        find_once(&out, range_text.as_bytes()).ok_or_else(|| pdf("the byte range placeholder"))?;
    let filled = format!("{} {} {}", start, end, out.len() - end);
    if filled.len() > range_text.len() {
        return Err(pdf("the file is too large to sign"));
    }
    let filled = format!("{filled:<width$}", width = range_text.len());
    out[range_at..range_at + range_text.len()].copy_from_slice(filled.as_bytes());

    let digest = Sha256::new()
        .chain_update(&out[..start])
        .chain_update(&out[end..])
        .finalize();
    let cms = identity.cms(&digest)?;
    if cms.len() > RESERVED {
        return Err(PadesError::Crypto(format!(
            "the signature ({} bytes) is larger than the {RESERVED} bytes reserved for it; use a shorter certificate chain",
            cms.len()
        )));
    }
    for (i, b) in cms.iter().enumerate() {
        let hex = format!("{b:02x}");
        out[start + 1 + 2 * i..start + 3 + 2 * i].copy_from_slice(hex.as_bytes());
    }
    Ok(out)
}

/// The one position of `needle` in `haystack`; `None` when missing or ambiguous.
fn find_once(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let mut found = haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Writes a PEM secret so that only its owner can read it (mode 0600), replacing any old file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // An existing file keeps its mode on open; tighten it explicitly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)
    }
    #[cfg(not(unix))]
    {
        options.open(path)?.write_all(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_page() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let content = lopdf::Stream::new(
            Dictionary::new(),
            b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET".to_vec(),
        );
        let content_id = doc.add_object(content);
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type1".to_vec()));
        font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Dictionary(font));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages_id));
        page.set("Contents", Object::Reference(content_id));
        page.set("Resources", Object::Dictionary(resources));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        );
        let page_id = doc.add_object(page);
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
        pages.set("Count", Object::Integer(1));
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        doc
    }

    fn info() -> SignatureInfo<'static> {
        SignatureInfo {
            name: "Example Cloud GmbH",
            reason: "Executed agreement",
            location: "https://trust.example.com/portal",
            contact: "legal@example.com",
            time: Utc::now(),
        }
    }

    fn find(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(needle)))
    }

    /// poppler's verdict on `pdf` (`None` when `pdfsig` is not installed).
    fn pdfsig(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signed.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdfsig")
            .arg(&path)
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn a_signed_pdf_carries_a_cms_signature_over_everything_but_itself() {
        let generated = Identity::generate("Sample signer", "Example Cloud GmbH", 30).unwrap();
        let signed = sign_pdf(one_page(), &generated.identity, &info()).unwrap();
        find(&signed, b"/SubFilter/ETSI.CAdES.detached");
        assert!(
            find_once(&signed, b"1111111111").is_none(),
            "the byte range is filled in"
        );
        // The byte range covers the whole file except the signature value.
        let start = find(&signed, b"/Contents<") + "/Contents".len();
        let end = start + 2 * RESERVED + 2;
        assert_eq!(&signed[start..start + 3], b"<30", "a DER SEQUENCE");
        assert_eq!(signed[end - 1], b'>');
        let range = format!("/ByteRange[0 {start} {end} {}", signed.len() - end);
        find(&signed, range.as_bytes());
        assert!(generated.identity.subject().contains("CN=Sample signer"));
        assert_eq!(generated.identity.fingerprint().len(), 32 * 3 - 1);

        let Some(verdict) = pdfsig(&signed) else {
            eprintln!("SKIPPED: pdfsig not found (apt-get install poppler-utils)");
            return;
        };
        eprintln!("{verdict}");
        assert!(
            verdict.contains("Signature Validation: Signature is Valid."),
            "{verdict}"
        );
        assert!(verdict.contains("Total document signed"), "{verdict}");
        assert!(
            verdict.contains("ETSI.CAdES.detached") || verdict.contains("PAdES"),
            "{verdict}"
        );
        // One byte changed inside the signed range: the digest no longer matches.
        let mut tampered = signed.clone();
        let at = find(&tampered, b"(Hello)") + 1;
        tampered[at] = b'J';
        let verdict = pdfsig(&tampered).unwrap();
        assert!(!verdict.contains("Signature is Valid"), "{verdict}");
        assert!(verdict.contains("Digest Mismatch"), "{verdict}");
    }

    #[test]
    fn keys_are_loaded_back_and_checked_against_the_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let a = Identity::generate("A", "Org", 10).unwrap();
        let b = Identity::generate("B", "Org", 10).unwrap();
        let key = dir.path().join("key.pem");
        let cert = dir.path().join("cert.pem");
        let other = dir.path().join("other.pem");
        write_private(&key, a.key_pem.as_bytes()).unwrap();
        std::fs::write(&cert, &a.certificate_pem).unwrap();
        std::fs::write(&other, &b.certificate_pem).unwrap();
        let loaded = Identity::load(&key, &cert).unwrap();
        assert_eq!(loaded.fingerprint(), a.identity.fingerprint());
        let err = Identity::load(&key, &other).unwrap_err().to_string();
        assert!(err.contains("is not the certificate of the key"), "{err}");
        let not_a_key = dir.path().join("not-a-key.pem");
        write_private(&not_a_key, a.certificate_pem.as_bytes()).unwrap();
        let err = Identity::load(&not_a_key, &cert).unwrap_err().to_string();
        assert!(err.contains("not a private key"), "{err}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = Identity::load(&key, &cert).unwrap_err().to_string();
            assert!(
                err.contains("mode 0644") && err.contains("chmod 600"),
                "{err}"
            );
        }
    }

    #[test]
    fn an_rsa_key_with_a_chain_from_a_ca_signs_too() {
        use der::pem::LineEnding;
        use rsa::pkcs8::EncodePrivateKey as _;
        use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
        // A CA (P-256) issues the signer's certificate (RSA-2048).
        let ca_key = p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng);
        let ca_name = x509_cert::name::Name::from_str("CN=Example Test CA,O=Example").unwrap();
        let validity =
            x509_cert::time::Validity::from_now(std::time::Duration::from_secs(86_400)).unwrap();
        let ca = CertificateBuilder::new(
            Profile::Root,
            x509_cert::serial_number::SerialNumber::from(1u32),
            validity,
            ca_name.clone(),
            x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(*ca_key.verifying_key()).unwrap(),
            &ca_key,
        )
        .unwrap()
        .build::<p256::ecdsa::DerSignature>()
        .unwrap();
        let rsa_key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let leaf = CertificateBuilder::new(
            Profile::Leaf {
                issuer: ca_name,
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            x509_cert::serial_number::SerialNumber::from(2u32),
            validity,
            x509_cert::name::Name::from_str("CN=Example Signer,O=Example").unwrap(),
            x509_cert::spki::SubjectPublicKeyInfoOwned::from_key(rsa::RsaPublicKey::from(&rsa_key))
                .unwrap(),
            &ca_key,
        )
        .unwrap()
        .build::<p256::ecdsa::DerSignature>()
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key.pem");
        let chain = dir.path().join("chain.pem");
        write_private(
            &key,
            rsa_key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
        )
        .unwrap();
        std::fs::write(
            &chain,
            leaf.to_pem(LineEnding::LF).unwrap() + &ca.to_pem(LineEnding::LF).unwrap(),
        )
        .unwrap();
        let identity = Identity::load(&key, &chain).unwrap();
        assert_eq!(identity.chain.len(), 2);
        let signed = sign_pdf(one_page(), &identity, &info()).unwrap();
        let Some(verdict) = pdfsig(&signed) else {
            eprintln!("SKIPPED: pdfsig not found (apt-get install poppler-utils)");
            return;
        };
        assert!(verdict.contains("Signature is Valid."), "{verdict}");
        assert!(verdict.contains("CN=Example Signer"), "{verdict}");
        // The chain in the wrong order (CA first) does not match the key.
        std::fs::write(
            &chain,
            ca.to_pem(LineEnding::LF).unwrap() + &leaf.to_pem(LineEnding::LF).unwrap(),
        )
        .unwrap();
        assert!(matches!(
            Identity::load(&key, &chain),
            Err(PadesError::Mismatch { .. })
        ));
    }

    #[test]
    fn names_are_escaped_for_the_distinguished_name() {
        assert_eq!(rdn_escape("Acme, Inc."), "Acme\\, Inc.");
        assert_eq!(rdn_escape("#1 = a+b"), "\\#1 \\= a\\+b");
        let g = Identity::generate("Müller, \"Signing\"", "Acme+Co", 1).unwrap();
        assert!(
            g.identity.subject().contains("Müller"),
            "{}",
            g.identity.subject()
        );
    }
}

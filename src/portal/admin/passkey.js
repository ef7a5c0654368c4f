// Passkeys in the Candor admin console: shows the passkey forms (hidden without JavaScript or
// without WebAuthn), and on submit asks the console for a ceremony's options, lets the browser
// create or use a passkey, and posts its answer as JSON in the form's hidden `response` field
// (with the form's CSRF token). Nothing inline, nothing from elsewhere.
"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }

  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }

  function answer(credential, mode) {
    var r = credential.response;
    var out = { id: credential.id, rawId: toText(credential.rawId), type: credential.type, extensions: {} };
    try { out.extensions = credential.getClientExtensionResults(); } catch (e) { out.extensions = {}; }
    if (mode === "create") {
      out.response = { attestationObject: toText(r.attestationObject), clientDataJSON: toText(r.clientDataJSON) };
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response = {
        authenticatorData: toText(r.authenticatorData), clientDataJSON: toText(r.clientDataJSON),
        signature: toText(r.signature), userHandle: r.userHandle ? toText(r.userHandle) : null,
      };
    }
    return JSON.stringify(out);
  }

  document.querySelectorAll("form.passkey-form").forEach(function (form) {
    var section = form.closest(".passkey");
    if (section) section.hidden = false;
    var status = form.querySelector(".passkey-status");
    var button = form.querySelector("button[type=submit]");
    var mode = form.dataset.mode;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = form.dataset.working;
      button.disabled = true;
      var body = new URLSearchParams();
      body.set("csrf", form.elements.csrf.value);
      fetch(form.dataset.options, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body,
      })
        .then(function (r) { if (!r.ok) throw new Error("options " + r.status); return r.json(); })
        .then(function (o) {
          return mode === "create"
            ? navigator.credentials.create(creationOptions(o))
            : navigator.credentials.get(requestOptions(o));
        })
        .then(function (credential) {
          form.elements.response.value = answer(credential, mode);
          form.submit();
        })
        .catch(function () {
          status.textContent = form.dataset.cancelled;
          button.disabled = false;
        });
    });
  });
})();

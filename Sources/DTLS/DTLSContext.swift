import COpenSSL

/// One OpenSSL `SSL_CTX` for DTLS with pre-shared keys, in one role. A server's sessions share
/// it, and with it the cache that lets a client resume (`dtls_mode` 1). The callbacks are C
/// functions: they find their session's keys through ``DTLSLink/of(_:)``.
final class DTLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    let isServer: Bool
    let configuration: DTLSConfiguration

    /// CCM_8 first: LwM2M's mandatory PSK suite (and what libcoap picks). The CBC-SHA suites are
    /// the only PSK suites DTLS 1.0 has.
    static func cipherList(_ version: DTLSConfiguration.Version) -> String {
        let modern = "PSK-AES128-CCM8:PSK-AES128-GCM-SHA256:PSK-AES128-CCM:PSK-AES128-CBC-SHA256:PSK-AES256-GCM-SHA384"
        switch version {
        case .dtls1_2: return modern
        // DTLS 1.0 signs its PRF with MD5/SHA-1, which OpenSSL 3 refuses above level 0.
        case .dtls1_0, .negotiate: return modern + ":PSK-AES128-CBC-SHA:PSK-AES256-CBC-SHA:@SECLEVEL=0"
        }
    }

    init(server: Bool, configuration: DTLSConfiguration) throws(DTLSFailure) {
        isServer = server
        self.configuration = configuration
        guard let ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method()) else {
            throw .setup(DTLSSession.drainErrors() ?? "SSL_CTX_new")
        }
        pointer = ctx
        let versions: (Int32, Int32) = switch configuration.version {
        case .dtls1_0: (DTLS1_VERSION, DTLS1_VERSION)
        case .dtls1_2: (DTLS1_2_VERSION, DTLS1_2_VERSION)
        case .negotiate: (DTLS1_VERSION, DTLS1_2_VERSION)
        }
        guard bc260_ssl_ctx_set_versions(ctx, versions.0, versions.1) == 1,
              SSL_CTX_set_cipher_list(ctx, Self.cipherList(configuration.version)) == 1 else {
            throw .setup(DTLSSession.drainErrors() ?? "\(configuration.version.name) is not available in this OpenSSL")
        }
        _ = SSL_CTX_set_options(ctx, bc260_ssl_op_no_query_mtu())
        SSL_CTX_set_info_callback(ctx) { ssl, where_, value in
            guard where_ & SSL_CB_ALERT != 0, let link = DTLSLink.of(ssl) else { return }
            // Only fatal alerts (level 2) end a session; close_notify is a warning.
            guard value >> 8 == 2 else { return }
            let text = String(cString: SSL_alert_desc_string_long(value))
            if where_ & SSL_CB_READ != 0 { link.alertReceived = text } else { link.alertSent = text }
        }
        if server {
            bc260_ssl_ctx_set_server_cache(ctx)
            _ = SSL_CTX_set_options(ctx, bc260_ssl_op_no_ticket())
            if let hint = configuration.identityHint { _ = SSL_CTX_use_psk_identity_hint(ctx, hint) }
            SSL_CTX_set_psk_server_callback(ctx) { ssl, identity, psk, capacity in
                guard let link = DTLSLink.of(ssl), let identity, let psk else { return 0 }
                let name = String(cString: identity)
                guard let key = link.store.key(for: name), !key.isEmpty, key.count <= Int(capacity) else {
                    link.refusedIdentity = name
                    return 0
                }
                key.withUnsafeBufferPointer { psk.update(from: $0.baseAddress!, count: key.count) }
                link.acceptedIdentity = name
                return UInt32(key.count)
            }
            SSL_CTX_set_cookie_generate_cb(ctx) { ssl, cookie, length in
                guard let link = DTLSLink.of(ssl), let cookie, let length else { return 0 }
                let bytes = link.cookie()
                bytes.withUnsafeBufferPointer { cookie.update(from: $0.baseAddress!, count: bytes.count) }
                length.pointee = UInt32(bytes.count)
                return 1
            }
            SSL_CTX_set_cookie_verify_cb(ctx) { ssl, cookie, length in
                guard let link = DTLSLink.of(ssl), let cookie else { return 0 }
                let offered = Array(UnsafeBufferPointer(start: cookie, count: Int(length)))
                return offered == link.cookie() ? 1 : 0
            }
        } else {
            SSL_CTX_set_psk_client_callback(ctx) { ssl, _, identity, identityCapacity, psk, pskCapacity in
                guard let link = DTLSLink.of(ssl), let credentials = link.credentials, let identity, let psk else { return 0 }
                let name = Array(credentials.identity.utf8)
                // The identity goes NUL-terminated.
                guard name.count < Int(identityCapacity), credentials.key.count <= Int(pskCapacity),
                      !credentials.key.isEmpty else { return 0 }
                name.withUnsafeBufferPointer { raw in
                    raw.withMemoryRebound(to: CChar.self) { identity.update(from: $0.baseAddress!, count: name.count) }
                }
                identity[name.count] = 0
                credentials.key.withUnsafeBufferPointer { psk.update(from: $0.baseAddress!, count: credentials.key.count) }
                return UInt32(credentials.key.count)
            }
        }
    }

    deinit { SSL_CTX_free(pointer) }
}

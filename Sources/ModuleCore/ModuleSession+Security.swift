import ATProtocol
import CoAP
import DTLS
import LwM2M

extension ModuleSession {
    /// The PSK_ID and PSK of the session's server when its security mode is 0. For an
    /// emulated platform that trusts the module's key; never printed (see ``PreSharedKey``).
    public var credentials: PreSharedKey? { configuration.flatMap { Self.credentials($0.server) } }

    /// The DTLS settings of a session: the note's `dtls_version`, and handshake retransmission
    /// on the same schedule as CoAP's (`AT+QLACFG="retransmit"`).
    static func dtlsConfiguration(_ configuration: SessionConfiguration) -> DTLSConfiguration {
        DTLSConfiguration(version: DTLSConfiguration.Version(rawValue: configuration.dtlsVersion) ?? .negotiate,
                          initialTimeout: max(1, configuration.ackTimeoutSeconds) * 1000,
                          maximumRetransmissions: Int(clamping: configuration.maximumRetransmissions))
    }

    /// `<PSK_ID>` and `<PSK>` as the module uses them: the key is the text's bytes (see
    /// DECISIONS.md, "The PSK is the text as typed"), or those a bootstrap wrote.
    static func credentials(_ server: ServerConfiguration) -> PreSharedKey? {
        guard let identity = server.pskIdentity, let key = server.keyBytes else { return nil }
        return PreSharedKey(identity: identity, key: key)
    }

    /// Opens DTLS to the configured server; false (with a diagnostic) when OpenSSL refuses the
    /// settings.
    mutating func startSecurity(_ configuration: SessionConfiguration, resuming: DTLSSavedSession?) -> Bool {
        let server = configuration.server
        guard let credentials = Self.credentials(server) else {
            diagnostics.append("security mode 0 without PSK_ID and PSK: nothing to handshake with")
            return false
        }
        do {
            securityFailureReported = false
            secure = try DTLSClientChannel(server: PeerAddress(host: server.host, port: server.port), credentials: credentials,
                                           configuration: Self.dtlsConfiguration(configuration), resuming: resuming)
            return true
        } catch {
            diagnostics.append("DTLS to \(server.host):\(server.port) (identity \(credentials.identity)) cannot start: \(error)")
            secure = nil
            return false
        }
    }

    /// The client's datagrams with those for the server sealed; none while the DTLS session is
    /// down for good (the client's own timeouts end its exchanges).
    mutating func secured(_ datagrams: [Datagram], now: Instant) -> [Datagram] {
        let closing = farewell
        farewell = []
        guard let secure else { return closing + datagrams }
        let out = secure.seal(datagrams, now: now)
        checkSecurity(now: now)
        return closing + out
    }

    /// Ends the DTLS session with the server: an established one says close_notify (sealed, in
    /// ``farewell``), so the server drops its state for this address at once rather than
    /// keeping it until it ages out; what the client still had pending goes sealed before it.
    /// A session that failed or is still handshaking goes without a word.
    mutating func closeSecurity(now: Instant) {
        guard let secure else { return }
        self.secure = nil
        guard secure.state == .established else { return }
        farewell += secure.seal(takePendingDatagrams(), now: now) + secure.close(now: now)
    }

    /// A handshake that failed ends what waits on the session, with the result code a server
    /// that never answers (1) or refuses the key (900) would give.
    mutating func checkSecurity(now: Instant) {
        // The failed channel stays: it drops what the client sends, which must never go in clear.
        guard let secure, let failure = secure.failure, !securityFailureReported else { return }
        securityFailureReported = true
        diagnostics.append("DTLS with \(secure.server) (identity \(secure.session.identity ?? "?")) failed: \(failure)")
        let code: ResultCode = failure == .timedOut ? .timeout : .otherError
        // The session cannot speak to its server any more: whatever waits on it ends now.
        if let id = waits.register {
            waits.register = nil
            events.append(.outcome(id, .completed(code)))
            end(now: now)
            return
        }
        // Updates on the wire report their own message id; those still to send, none.
        for sent in waits.updatesSent.values {
            for id in sent.ids { events.append(.outcome(id, .completed(code, messageID: sent.messageID))) }
        }
        for id in waits.updatesToSend { events.append(.outcome(id, .completed(code))) }
        waits.updatesSent = [:]
        waits.updatesToSend = []
        if let id = waits.deregister {
            events.append(.outcome(id, .completed(code)))
            end(now: now)
        }
    }

    /// The datagrams of a call in which a bootstrap may have finished. Once it has, the
    /// bootstrap server's DTLS session (if any) ends with a close_notify after the answer to
    /// Bootstrap-Finish, and the working server is reached as its Security instance says (OMA
    /// LwM2M 1.0 E.1): a `coaps://` URI over DTLS with the PSK identity (/0/x/3) and key
    /// (/0/x/5) the bootstrap wrote, a `coap://` one in clear. A `coaps://` account without
    /// a usable PSK never goes in clear: the registration ends with 900.
    mutating func followingBootstrap(_ datagrams: [Datagram], now: Instant) -> [Datagram] {
        guard configuration?.bootstrap == true, !waits.bootstrapFollowed, let client = node?.machine,
              client.status == .registering, let account = client.bootstrappedAccount else {
            return secured(datagrams, now: now)
        }
        waits.bootstrapFollowed = true
        // The bootstrap server's last word is the answer to its Bootstrap-Finish; the first
        // request after it (the Register) is the working server's.
        let split = datagrams.firstIndex { (try? Message(decoding: $0.bytes))?.code.isRequest ?? false } ?? datagrams.endIndex
        var out = secured(Array(datagrams[..<split]), now: now)
        closeSecurity(now: now)
        out += secured([], now: now)
        let rest = Array(datagrams[split...])
        guard account.isSecure else { return out + rest }
        guard account.mode == .preSharedKey, !account.identity.isEmpty, !account.secretKey.isEmpty, let configuration else {
            diagnostics.append("bootstrap handed out \(account): only security mode 0 with a PSK identity and key is supported")
            if let id = waits.register {
                waits.register = nil
                events.append(.outcome(id, .completed(.otherError)))
            }
            end(now: now)
            return out
        }
        let credentials = PreSharedKey(identity: String(decoding: account.identity, as: UTF8.self), key: account.secretKey)
        do {
            securityFailureReported = false
            secure = try DTLSClientChannel(server: account.peer, credentials: credentials,
                                           configuration: Self.dtlsConfiguration(configuration))
        } catch {
            diagnostics.append("DTLS to \(account.peer) (identity \(credentials.identity)) cannot start: \(error)")
            if let id = waits.register {
                waits.register = nil
                events.append(.outcome(id, .completed(.otherError)))
            }
            end(now: now)
            return out
        }
        return out + secured(rest, now: now)
    }
}

import CoAP

extension LwM2MClient {
    /// Client-initiated bootstrap (LwM2M 1.0 §5.2.3): `POST /bs?ep=<name>`, then the bootstrap
    /// server writes and deletes with bootstrap access until its Bootstrap-Finish.
    mutating func requestBootstrap(_ bootstrapServer: PeerAddress, now: Instant) -> [Action] {
        status = .bootstrapping
        bootstrapDeadline = now + configuration.bootstrapTimeoutMilliseconds
        let token = tokens.next()
        pending[token] = .bootstrapRequest
        return [.event(.bootstrapRequested(bootstrapServer)),
                .send(.request(.post, token: token, path: ["bs"], query: ["ep=\(configuration.endpoint)"]),
                      to: bootstrapServer)]
    }

    /// Bootstrap-Finish (`POST /bs`): the configuration must now name a server to register
    /// with, else 4.06 Not Acceptable (LwM2M 1.0 §5.2.7.3) and the bootstrap fails.
    mutating func bootstrapFinished(_ request: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        bootstrapDeadline = nil
        pending = pending.filter { $0.value != .bootstrapRequest }
        let served = ServedRequest(kind: .bootstrapFinish, path: "/bs", code: .changed, messageID: request.messageID)
        guard let server = bootstrappedServer else {
            status = .unregistered
            let reason = "no LwM2M server account after bootstrap"
            return [.send(.response(to: request, .notAcceptable, payload: Array(reason.utf8)), to: peer),
                    .event(.served(ServedRequest(kind: .bootstrapFinish, path: "/bs", code: .notAcceptable,
                                                 messageID: request.messageID))),
                    .event(.bootstrapFailed(.malformedResponse(reason)))]
        }
        return [.send(.response(to: request, .changed), to: peer), .event(.served(served)),
                .event(.bootstrapFinished(server: server))]
            + register(with: server, now: now)
    }

    /// The server a bootstrap handed out: the first Security instance that is not the
    /// bootstrap account and whose URI parses (`coap://host:port`, `coaps://...`).
    public var bootstrappedServer: PeerAddress? { bootstrappedAccount?.peer }

    /// The Security instance behind ``bootstrappedServer``: how to reach it and with what keys.
    public var bootstrappedAccount: SecurityAccount? {
        for iid in objects.instanceIDs(of: 0) {
            guard objects.value(at: LwM2MPath(0, iid, 1)) != .boolean(true),
                  let uri = objects.value(at: LwM2MPath(0, iid, 0))?.stringValue,
                  let peer = Self.peer(fromServerURI: uri) else { continue }
            let mode = objects.value(at: LwM2MPath(0, iid, 2)).flatMap { v -> SecurityMode? in
                if case .integer(let n) = v { SecurityMode(rawValue: n) } else { nil }
            }
            return SecurityAccount(uri: uri, peer: peer, mode: mode,
                                   identity: Self.bytes(objects.value(at: LwM2MPath(0, iid, 3))),
                                   secretKey: Self.bytes(objects.value(at: LwM2MPath(0, iid, 5))))
        }
        return nil
    }

    private static func bytes(_ value: ResourceValue?) -> [UInt8] {
        switch value {
        case .opaque(let b): b
        case .string(let s): Array(s.utf8)
        default: []
        }
    }

    /// `coap://10.0.0.1:5683` → 10.0.0.1:5683; the scheme's default port when none is given.
    public static func peer(fromServerURI uri: String) -> PeerAddress? {
        let schemes: [(String, UInt16)] = [("coap://", 5683), ("coaps://", 5684)]
        for (scheme, port) in schemes where uri.lowercased().hasPrefix(scheme) {
            var rest = uri.dropFirst(scheme.count)
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            return PeerAddress(parsing: String(rest), defaultPort: port)
        }
        return nil
    }
}

/// A server account as a Security instance (object 0) states it: the URI, and for DTLS the
/// mode, the PSK identity (/0/x/3) and the key (/0/x/5). OMA LwM2M 1.0 E.1: a `coaps` URI is
/// reached over DTLS with the keys of its mode; a `coap` URI in clear.
public struct SecurityAccount: Hashable, Sendable, CustomStringConvertible {
    public var uri: String
    public var peer: PeerAddress
    /// /0/x/2; nil when missing or not a known mode.
    public var mode: SecurityMode?
    public var identity: [UInt8]
    public var secretKey: [UInt8]

    public init(uri: String, peer: PeerAddress, mode: SecurityMode?, identity: [UInt8], secretKey: [UInt8]) {
        self.uri = uri
        self.peer = peer
        self.mode = mode
        self.identity = identity
        self.secretKey = secretKey
    }

    /// Whether the URI asks for DTLS (`coaps://`).
    public var isSecure: Bool { uri.lowercased().hasPrefix("coaps://") }

    /// The key never shows: only its length.
    public var description: String {
        "\(uri), mode \(mode.map { "\($0.rawValue)" } ?? "?"), identity \"\(String(decoding: identity, as: UTF8.self))\" (key of \(secretKey.count) bytes)"
    }
}

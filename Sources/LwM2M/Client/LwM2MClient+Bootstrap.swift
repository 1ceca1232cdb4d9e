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
    public var bootstrappedServer: PeerAddress? {
        for iid in objects.instanceIDs(of: 0) {
            guard objects.value(at: LwM2MPath(0, iid, 1)) != .boolean(true),
                  let uri = objects.value(at: LwM2MPath(0, iid, 0))?.stringValue,
                  let peer = Self.peer(fromServerURI: uri) else { continue }
            return peer
        }
        return nil
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

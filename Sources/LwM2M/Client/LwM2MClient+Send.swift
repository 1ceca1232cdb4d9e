import CoAP

extension LwM2MClient {
    /// Send (LwM2M 1.1 §6.4.4): `POST /dp` carrying the values at `path`, SenML JSON by
    /// default. Returns the token that `.sendCompleted`/`.sendFailed` will name, or nil with
    /// no actions when not registered or the path cannot be read. While asleep the Send waits
    /// for an Update to wake the client first.
    public mutating func send(_ path: LwM2MPath, format: ContentFormat = .senmlJSON,
                              now: Instant) -> (Token?, [Action]) {
        guard let content = try? objects.read(path, accept: format) else { return (nil, []) }
        return send(content: content, now: now)
    }

    /// Send with a payload the owner encoded itself (the module's QLASENDDATA passes the TE's
    /// bytes unchanged), optionally with Uri-Query such as `ep=<name>`.
    public mutating func send(content: EncodedContent, query: [String] = [], confirmable: Bool = true,
                              now: Instant) -> (Token?, [Action]) {
        guard status == .registered, let server else { return (nil, []) }
        let token = tokens.next()
        pending[token] = .send
        let message = Message.request(.post, confirmable: confirmable, token: token, path: ["dp"], query: query,
                                      contentFormat: UInt32(content.format.rawValue), payload: content.bytes)
        guard !isAsleep else {
            heldWhileAsleep.append((message, server))
            return (token, sendUpdate(now: now))
        }
        return (token, [.send(message, to: server)])
    }
}

extension LwM2MClient {
    /// Send of several paths at once, as SenML JSON records named by full path. Nil when a
    /// path cannot be read or the client is not registered.
    public mutating func send(_ paths: [LwM2MPath], now: Instant) -> (Token?, [Action]) {
        var values: [(path: LwM2MPath, value: ResourceValue)] = []
        for path in paths {
            guard let node = try? objects.read(path) else { return (nil, []) }
            values += node.flattened(at: path)
        }
        return send(content: EncodedContent(format: .senmlJSON, bytes: SenMLJSON.encode(values: values)), now: now)
    }
}

import CoAP

/// The server's Registration interface (LwM2M 1.0 §5.3): answers Register (`POST /rd?ep=...`),
/// Update (`POST /rd/<id>`) and De-register (`DELETE /rd/<id>`), and lets registrations lapse
/// when their lifetime runs out in virtual time.
///
/// Contract: `handle` answers every request aimed at `/rd` with exactly one response (2.01 with
/// Location-Path, 2.04, 2.02, or 4.00/4.04/4.05 with a reason in the payload) and reports what
/// changed. A Register from an endpoint already registered replaces the old registration.
/// Nothing here crashes on malformed input.
public struct RegistrationDirectory: Sendable {
    public enum Event: Hashable, Sendable {
        case registered(Registration)
        /// `replaced` is the registration a new Register of the same endpoint took over.
        case reregistered(Registration, replaced: Registration)
        case updated(Registration)
        case deregistered(Registration)
        case expired(Registration)
        /// A request refused with a 4.xx; the reason is the one sent in the payload.
        case rejected(Code, reason: String, from: PeerAddress)
    }

    public static let defaultLifetime: UInt32 = 86_400

    public private(set) var registrations: [String: Registration] = [:]
    private var nextID = 0
    // Both indexes keep the per-request cost flat when thousands of clients are registered.
    private var idsByEndpoint: [String: String] = [:]
    /// Expiry times by registration id; an entry is stale when the registration is gone or was
    /// heard from since (its `expiresAt` moved), and is skipped when popped.
    private var expiries = DeadlineQueue<String>()

    public init() {}

    public func registration(endpoint: String) -> Registration? {
        idsByEndpoint[endpoint].flatMap { registrations[$0] }
    }

    /// True when `request` is for this interface (its path starts with `rd`).
    public static func accepts(_ request: Message) -> Bool { request.uriPath.first == "rd" }

    public mutating func handle(_ request: Message, from peer: PeerAddress,
                                now: Instant) -> (response: Message, events: [Event]) {
        let path = request.uriPath
        switch (request.code, path.count) {
        case (.post, 1): return register(request, from: peer, now: now)
        case (.post, 2): return update(request, id: path[1], from: peer, now: now)
        case (.delete, 2): return deregister(request, id: path[1], from: peer)
        case (_, 1), (_, 2): return reject(request, .methodNotAllowed, "\(request.code) not allowed on \(request.path)", peer)
        default: return reject(request, .notFound, "no such resource \(request.path)", peer)
        }
    }

    /// Removes every registration whose lifetime ran out by `now`.
    public mutating func advance(to now: Instant) -> [Event] {
        var lapsed: [Event] = []
        while let (deadline, id) = expiries.popDue(at: now) {
            guard let r = registrations[id], r.expiresAt == deadline else { continue }
            remove(r)
            lapsed.append(.expired(r))
        }
        return lapsed
    }

    public var nextDeadline: Instant? { expiries.earliest }

    /// Keeps the earliest entry live, so `nextDeadline` is exact.
    private mutating func dropStaleEarliest() {
        while let (deadline, id) = expiries.first, registrations[id]?.expiresAt != deadline {
            expiries.removeFirst()
        }
    }

    private mutating func store(_ r: Registration) {
        registrations[r.id] = r
        idsByEndpoint[r.endpoint] = r.id
        expiries.push(r.id, at: r.expiresAt)
        // Updates leave stale entries behind; drop them before they outnumber the live ones.
        if expiries.count > 2 * registrations.count + 64 {
            expiries.compact { deadline, id in self.registrations[id]?.expiresAt == deadline }
        }
        dropStaleEarliest()
    }

    private mutating func remove(_ r: Registration) {
        registrations[r.id] = nil
        if idsByEndpoint[r.endpoint] == r.id { idsByEndpoint[r.endpoint] = nil }
        dropStaleEarliest()
    }

    // MARK: - operations

    private mutating func register(_ request: Message, from peer: PeerAddress,
                                   now: Instant) -> (response: Message, events: [Event]) {
        let q = request.queryParameters
        guard let ep = q["ep"] ?? nil, !ep.isEmpty else {
            return reject(request, .badRequest, "missing endpoint name (ep)", peer)
        }
        var lifetime = Self.defaultLifetime
        if let lt = q["lt"] {
            guard let text = lt, let v = UInt32(text), v > 0 else {
                return reject(request, .badRequest, "invalid lifetime", peer)
            }
            lifetime = v
        }
        let version = (q["lwm2m"] ?? nil) ?? "1.0"
        guard ["1.0", "1.1"].contains(version) else {
            // LwM2M 1.0 §5.3.1: an unsupported version is refused with 4.12 Precondition Failed.
            return reject(request, .preconditionFailed, "unsupported LwM2M version \(version)", peer)
        }
        let binding = (q["b"] ?? nil) ?? "U"
        guard Self.isValidBinding(binding) else {
            return reject(request, .badRequest, "invalid binding \(binding)", peer)
        }
        if let cf = request.contentFormat, cf != 40 {
            return reject(request, .badRequest, "registration payload must be link-format (40)", peer)
        }
        let links: [Link]
        do throws(ContentError) { links = try LinkFormat.decode(request.payload) } catch {
            return reject(request, .badRequest, "registration payload: \(error)", peer)
        }
        nextID += 1
        let registration = Registration(
            id: String(nextID), endpoint: ep, lifetime: lifetime, lwm2mVersion: version,
            binding: binding, smsNumber: q["sms"] ?? nil, objectLinks: links, peer: peer,
            registeredAt: now, lastHeardAt: now)
        var events: [Event] = []
        if let old = self.registration(endpoint: ep) {
            remove(old)
            events.append(.reregistered(registration, replaced: old))
        } else {
            events.append(.registered(registration))
        }
        store(registration)
        var response = Message.response(to: request, .created)
        response.locationPath = registration.locationPath
        return (response, events)
    }

    private mutating func update(_ request: Message, id: String, from peer: PeerAddress,
                                 now: Instant) -> (response: Message, events: [Event]) {
        guard var r = registrations[id] else {
            return reject(request, .notFound, "no registration /rd/\(id)", peer)
        }
        let q = request.queryParameters
        if let lt = q["lt"] {
            guard let text = lt, let v = UInt32(text), v > 0 else {
                return reject(request, .badRequest, "invalid lifetime", peer)
            }
            r.lifetime = v
        }
        if let b = q["b"] {
            guard let b, Self.isValidBinding(b) else { return reject(request, .badRequest, "invalid binding", peer) }
            r.binding = b
        }
        if let sms = q["sms"] { r.smsNumber = sms }
        if !request.payload.isEmpty {
            do throws(ContentError) { r.objectLinks = try LinkFormat.decode(request.payload) } catch {
                return reject(request, .badRequest, "registration payload: \(error)", peer)
            }
        }
        // The client may come back from another address (NAT rebinding, wake from sleep).
        r.peer = peer
        r.lastHeardAt = now
        store(r)
        return (Message.response(to: request, .changed), [.updated(r)])
    }

    private mutating func deregister(_ request: Message, id: String,
                                     from peer: PeerAddress) -> (response: Message, events: [Event]) {
        guard let r = registrations[id] else {
            return reject(request, .notFound, "no registration /rd/\(id)", peer)
        }
        remove(r)
        return (Message.response(to: request, .deleted), [.deregistered(r)])
    }

    private func reject(_ request: Message, _ code: Code, _ reason: String,
                        _ peer: PeerAddress) -> (response: Message, events: [Event]) {
        (Message.response(to: request, code, payload: Array(reason.utf8)),
         [.rejected(code, reason: reason, from: peer)])
    }

    /// LwM2M 1.0 bindings: U, UQ, S, SQ, US, UQS.
    static func isValidBinding(_ b: String) -> Bool { ["U", "UQ", "S", "SQ", "US", "UQS"].contains(b) }
}

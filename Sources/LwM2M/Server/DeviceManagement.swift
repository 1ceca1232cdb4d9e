import CoAP

/// The server's side of the Device Management and Information Reporting interfaces: it turns
/// `DeviceOperation`s for registered clients into requests, matches responses and Observe
/// notifications back to them by token, and holds requests for queue-mode clients until they
/// are heard from (LwM2M 1.0 §5.4–5.5, §8.3 queue mode).
///
/// Contract: every `perform` ends in exactly one `.completed` or `.failed` event for its id
/// (a 4.xx/5.xx answer is `.failed(.response(code))`); an Observe that succeeds also opens an
/// observation whose notifications arrive as `.notification` with the Observe's id until it is
/// cancelled, forgotten, answered with an error, or its client goes away. A notification for
/// an observation this side no longer knows is answered with RST (passive cancel, RFC 7641 §3.6).
/// Stale notifications (older Observe sequence, RFC 7641 §3.4) are dropped.
public struct DeviceManagement: Sendable {
    public typealias OperationID = Int

    public enum Event: Hashable, Sendable {
        case completed(OperationID, endpoint: String, DeviceOperation, OperationResponse)
        case failed(OperationID, endpoint: String, DeviceOperation, FailureCause)
        /// Held for a sleeping queue-mode client; sent when it next registers or updates.
        case queued(OperationID, endpoint: String, DeviceOperation)
        case notification(OperationID, endpoint: String, LwM2MPath, OperationResponse)
        case observationEnded(OperationID, endpoint: String, LwM2MPath, reason: String)
    }

    public enum Action: Hashable, Sendable {
        case send(Message, to: PeerAddress)
        case event(Event)
    }

    private struct Pending: Sendable {
        var id: OperationID
        var endpoint: String
        var operation: DeviceOperation
        var peer: PeerAddress
    }

    private struct Observation: Sendable {
        var id: OperationID
        var endpoint: String
        var path: LwM2MPath
        var peer: PeerAddress
        var lastSequence: UInt32?
        var lastAt: Instant
    }

    /// How long after hearing from a queue-mode client it is taken to be awake (LwM2M 1.1 §6.5
    /// suggests CoAP's MAX_TRANSMIT_WAIT, 93 s).
    public var queueModeAwakeMilliseconds: Int64
    private var nextID: OperationID = 0
    private var tokens: TokenSequence
    private var pending: [Token: Pending] = [:]
    private var observations: [Token: Observation] = [:]
    private var queued: [String: [(OperationID, DeviceOperation)]] = [:]
    private var awakeUntil: [String: Instant] = [:]

    public init(queueModeAwakeMilliseconds: Int64 = 93_000, tokenSeed: UInt32 = 0x444D_0001) {
        self.queueModeAwakeMilliseconds = queueModeAwakeMilliseconds
        self.tokens = TokenSequence(seed: tokenSeed)
    }

    public func isAwaiting(_ token: Token) -> Bool { pending[token] != nil || observations[token] != nil }

    /// Paths observed on `endpoint`, with the id of the Observe that opened each.
    public func observations(of endpoint: String) -> [(OperationID, LwM2MPath)] {
        observations.values.filter { $0.endpoint == endpoint }.map { ($0.id, $0.path) }.sorted { $0.0 < $1.0 }
    }

    public func queuedOperations(of endpoint: String) -> [DeviceOperation] { (queued[endpoint] ?? []).map(\.1) }

    /// Sends `operation` to the client of `registration`, or queues it while a queue-mode
    /// client sleeps. Returns the id later events carry.
    public mutating func perform(_ operation: DeviceOperation, on registration: Registration,
                                 now: Instant) -> (OperationID, [Action]) {
        nextID += 1
        let id = nextID
        let awake = (awakeUntil[registration.endpoint] ?? registration.lastHeardAt + queueModeAwakeMilliseconds) > now
        if registration.isQueueMode && !awake {
            queued[registration.endpoint, default: []].append((id, operation))
            return (id, [.event(.queued(id, endpoint: registration.endpoint, operation))])
        }
        return (id, send(id, operation, to: registration))
    }

    /// The client was heard from (Register or Update): it is awake, so queued requests go out.
    public mutating func clientHeard(_ registration: Registration, now: Instant) -> [Action] {
        awakeUntil[registration.endpoint] = now + queueModeAwakeMilliseconds
        // A re-registration from a new address moves its observations along.
        for (t, o) in observations where o.endpoint == registration.endpoint { observations[t]?.peer = registration.peer }
        let waiting = queued.removeValue(forKey: registration.endpoint) ?? []
        return waiting.flatMap { send($0.0, $0.1, to: registration) }
    }

    /// The client de-registered or lapsed: its pending requests fail, its observations end.
    public mutating func clientGone(endpoint: String, reason: String) -> [Action] {
        var actions: [Action] = []
        for (token, p) in pending.sorted(by: { $0.value.id < $1.value.id }) where p.endpoint == endpoint {
            pending[token] = nil
            actions.append(.event(.failed(p.id, endpoint: endpoint, p.operation, .notSent)))
        }
        for (id, op) in queued.removeValue(forKey: endpoint) ?? [] {
            actions.append(.event(.failed(id, endpoint: endpoint, op, .notSent)))
        }
        for (token, o) in observations.sorted(by: { $0.value.id < $1.value.id }) where o.endpoint == endpoint {
            observations[token] = nil
            actions.append(.event(.observationEnded(o.id, endpoint: endpoint, o.path, reason: reason)))
        }
        awakeUntil[endpoint] = nil
        return actions
    }

    /// Forgets an observation without telling the client; its next notification gets RST.
    public mutating func forgetObservation(_ id: OperationID) -> [Action] {
        guard let (token, o) = observations.first(where: { $0.value.id == id }) else { return [] }
        observations[token] = nil
        return [.event(.observationEnded(id, endpoint: o.endpoint, o.path, reason: "forgotten"))]
    }

    /// A response or notification from a client. Empty when the token is not ours and the
    /// message is not a notification (the owner may route it elsewhere).
    public mutating func receive(response: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        if let p = pending.removeValue(forKey: response.token) {
            // Hearing the client keeps a queue-mode client's awake window open.
            if awakeUntil[p.endpoint] != nil { awakeUntil[p.endpoint] = now + queueModeAwakeMilliseconds }
            let answer = OperationResponse(response)
            guard response.code.isSuccess else {
                return [.event(.failed(p.id, endpoint: p.endpoint, p.operation, .response(response.code)))]
            }
            if case .observe(let path, _) = p.operation, let seq = response.observe {
                observations[response.token] = Observation(id: p.id, endpoint: p.endpoint, path: path,
                                                           peer: peer, lastSequence: seq, lastAt: now)
            }
            return [.event(.completed(p.id, endpoint: p.endpoint, p.operation, answer))]
        }
        if var o = observations[response.token] {
            guard response.code.isSuccess else {
                observations[response.token] = nil
                return [.event(.observationEnded(o.id, endpoint: o.endpoint, o.path,
                                                 reason: "client answered \(response.code)"))]
            }
            if let seq = response.observe, let last = o.lastSequence,
               !Self.isFresher(seq, than: last, elapsed: now - o.lastAt) {
                return []
            }
            o.lastSequence = response.observe ?? o.lastSequence
            o.lastAt = now
            observations[response.token] = o
            return [.event(.notification(o.id, endpoint: o.endpoint, o.path, OperationResponse(response)))]
        }
        if response.observe != nil && response.type != .acknowledgement {
            return [.send(Message(type: .reset, code: .empty, messageID: response.messageID), to: peer)]
        }
        return []
    }

    /// The exchange for `token` ended without a response.
    public mutating func exchangeFailed(token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        if let p = pending.removeValue(forKey: token) {
            return [.event(.failed(p.id, endpoint: p.endpoint, p.operation, failure))]
        }
        // An RST to a notification's acknowledgement path ends the observation too.
        if let o = observations.removeValue(forKey: token) {
            return [.event(.observationEnded(o.id, endpoint: o.endpoint, o.path, reason: "\(failure)"))]
        }
        return []
    }

    private mutating func send(_ id: OperationID, _ operation: DeviceOperation,
                               to registration: Registration) -> [Action] {
        var token = tokens.next()
        if case .cancelObservation(let path, _) = operation,
           let (t, _) = observations.first(where: { $0.value.endpoint == registration.endpoint && $0.value.path == path }) {
            observations[t] = nil
            token = t
        }
        pending[token] = Pending(id: id, endpoint: registration.endpoint, operation: operation, peer: registration.peer)
        return [.send(operation.request(token: token), to: registration.peer)]
    }

    /// RFC 7641 §3.4: V2 is fresher than V1 when it is ahead by less than 2^23 in 24-bit
    /// serial arithmetic, or when more than 128 s passed.
    static func isFresher(_ v2: UInt32, than v1: UInt32, elapsed: Int64) -> Bool {
        let a = v1 & 0xFF_FFFF, b = v2 & 0xFF_FFFF
        return (a < b && b - a < 1 << 23) || (a > b && a - b > 1 << 23) || elapsed > 128_000
    }
}

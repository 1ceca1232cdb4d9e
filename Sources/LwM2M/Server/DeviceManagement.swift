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

    /// An Observe this side made: CoAP's `Observation` judges freshness and cancellation.
    private struct Observed: Sendable {
        var id: OperationID
        var endpoint: String
        var path: LwM2MPath
        var observation: Observation
        /// Forgotten or cancelled here; kept only until the client hears it (RST or 2.05).
        var ended = false
    }

    /// How long after hearing from a queue-mode client it is taken to be awake (LwM2M 1.1 §6.5
    /// suggests CoAP's MAX_TRANSMIT_WAIT, 93 s).
    public var queueModeAwakeMilliseconds: Int64
    private var nextID: OperationID = 0
    private var tokens: TokenSequence
    private var pending: [Token: Pending] = [:]
    private var observations: [Token: Observed] = [:]
    private var queued: [String: [(OperationID, DeviceOperation)]] = [:]
    private var awakeUntil: [String: Instant] = [:]

    public init(queueModeAwakeMilliseconds: Int64 = 93_000, tokenSeed: UInt32 = 0x444D_0001) {
        self.queueModeAwakeMilliseconds = queueModeAwakeMilliseconds
        self.tokens = TokenSequence(seed: tokenSeed)
    }

    /// True while a request under `token` waits for its response or an observation under it
    /// is wanted (a forgotten one is not: its next notification is to be reset).
    public func isAwaiting(_ token: Token) -> Bool {
        pending[token] != nil || observations[token].map { !$0.ended } ?? false
    }

    /// Paths observed on `endpoint`, with the id of the Observe that opened each.
    public func observations(of endpoint: String) -> [(OperationID, LwM2MPath)] {
        observations.values.filter { $0.endpoint == endpoint && !$0.ended && $0.observation.state == .established }
            .map { ($0.id, $0.path) }.sorted { $0.0 < $1.0 }
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
            if o.ended { continue }
            actions.append(.event(.observationEnded(o.id, endpoint: endpoint, o.path, reason: reason)))
        }
        awakeUntil[endpoint] = nil
        return actions
    }

    /// Forgets an observation without telling the client; its next notification gets RST.
    public mutating func forgetObservation(_ id: OperationID) -> [Action] {
        guard let (token, o) = observations.first(where: { $0.value.id == id && !$0.value.ended }) else { return [] }
        observations[token]?.observation.forget()
        observations[token]?.ended = true
        return [.event(.observationEnded(id, endpoint: o.endpoint, o.path, reason: "forgotten"))]
    }

    /// A response or notification from a client. Empty when the token is not ours.
    public mutating func receive(response: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        if let p = pending.removeValue(forKey: response.token) {
            // Hearing the client keeps a queue-mode client's awake window open.
            if awakeUntil[p.endpoint] != nil { awakeUntil[p.endpoint] = now + queueModeAwakeMilliseconds }
            switch p.operation {
            case .observe:
                // The first answer opens the observation, or ends it (no Observe, or an error).
                if var o = observations[response.token], case .notification = o.observation.receive(response, now: now) {
                    observations[response.token] = o
                } else {
                    observations[response.token] = nil
                }
            case .cancelObservation:
                observations[response.token] = nil
            default:
                break
            }
            guard response.code.isSuccess else {
                return [.event(.failed(p.id, endpoint: p.endpoint, p.operation, .response(response.code)))]
            }
            return [.event(.completed(p.id, endpoint: p.endpoint, p.operation, OperationResponse(response)))]
        }
        guard var o = observations[response.token] else { return [] }
        switch o.observation.receive(response, now: now) {
        case .notification(let m):
            observations[response.token] = o
            return [.event(.notification(o.id, endpoint: o.endpoint, o.path, OperationResponse(m)))]
        case .ended(let m):
            observations[response.token] = nil
            return o.ended ? [] : [.event(.observationEnded(o.id, endpoint: o.endpoint, o.path,
                                                            reason: "client answered \(m.code)"))]
        case .reject:
            // Passive cancel (RFC 7641 §3.6): the RST ends the relation on the client.
            observations[response.token] = nil
            return response.type == .acknowledgement ? []
                : [.send(Message(type: .reset, code: .empty, messageID: response.messageID), to: peer)]
        case .ignored:
            return []
        }
    }

    /// The exchange for `token` ended without a response.
    public mutating func exchangeFailed(token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        if let p = pending.removeValue(forKey: token) {
            return [.event(.failed(p.id, endpoint: p.endpoint, p.operation, failure))]
        }
        if let o = observations.removeValue(forKey: token), !o.ended {
            return [.event(.observationEnded(o.id, endpoint: o.endpoint, o.path, reason: "\(failure)"))]
        }
        return []
    }

    private mutating func send(_ id: OperationID, _ operation: DeviceOperation,
                               to registration: Registration) -> [Action] {
        var message = operation.request(token: tokens.next())
        switch operation {
        case .observe(let path, _):
            observations[message.token] = Observed(id: id, endpoint: registration.endpoint, path: path,
                                                   observation: Observation(request: message, peer: registration.peer))
        case .cancelObservation(let path, _):
            // RFC 7641 §3.6: the GET Observe=1 carries the observation's own token.
            if let (t, o) = observations.first(where: { $0.value.endpoint == registration.endpoint
                                                        && $0.value.path == path && !$0.value.ended }) {
                observations[t]?.ended = true
                var cancel = o.observation
                message = cancel.cancel()
                observations[t]?.observation = cancel
                if case .cancelObservation(_, let accept?) = operation { message.accept = UInt32(accept.rawValue) }
            }
        default:
            break
        }
        pending[message.token] = Pending(id: id, endpoint: registration.endpoint, operation: operation,
                                         peer: registration.peer)
        return [.send(message, to: registration.peer)]
    }
}

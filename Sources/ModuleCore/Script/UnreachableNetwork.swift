import ATProtocol
import CoAP

/// A stand-in for the LwM2M session where no server is reachable, used by ``StandaloneModule``
/// (the engine on its own, for tests that want no network at all; `bc260 serve` and `bc260 run`
/// use ``NetworkedModule``, the real session).
///
/// It plays a network where no server ever answers, which is what a module with no platform
/// behind it sees: every exchange ends with result 1 (timeout) once the module's retransmission
/// schedule (`AT+QLACFG="retransmit"`, 2 s and 5 retransmissions by default: 126 s) has run
/// out. So `AT+QLAREG` answers `OK`, then `+QLAREG: 1` two minutes later, as on a bench with
/// the antenna unplugged. Nothing is invented: no registration ever succeeds here.
public struct UnreachableNetwork: Hashable, Sendable {
    private var policy = RetransmissionPolicy.module()
    private var pending: [Completion] = []
    private var nextMessageID: UInt16 = 1

    private struct Completion: Hashable, Sendable {
        var at: Instant
        var event: SessionEvent
    }

    public init() {}

    /// Takes a request from the engine.
    public mutating func accept(_ request: SessionRequest, now: Instant) {
        switch request.action {
        case .register(let configuration):
            policy = .module(ackTimeoutSeconds: Int(clamping: configuration.ackTimeoutSeconds),
                             maxRetransmissions: Int(clamping: configuration.maximumRetransmissions))
            timeOut(request.id, now: now, messageID: nil)
        case .update, .send:
            let id = nextMessageID
            nextMessageID &+= 1
            timeOut(request.id, now: now, messageID: id)
        case .deregister, .updateObjects, .respond, .notify, .resume:
            timeOut(request.id, now: now, messageID: nil)
        case .suspend:
            break
        case .discard:
            pending.removeAll()
        }
    }

    /// The events due at `now`, each with the instant it was due, in order.
    public mutating func due(at now: Instant) -> [(at: Instant, event: SessionEvent)] {
        var events: [(at: Instant, event: SessionEvent)] = []
        while let first = pending.first, first.at <= now {
            events.append((first.at, first.event))
            pending.removeFirst()
        }
        return events
    }

    public var nextDeadline: Instant? { pending.first?.at }

    private mutating func timeOut(_ id: SessionRequestID, now: Instant, messageID: UInt16?) {
        var schedule = policy
        let at = now + schedule.schedule().timeoutOffset
        let completion = Completion(at: at, event: .outcome(id, .completed(.timeout, messageID: messageID)))
        // Stable by time: equal instants keep the order the requests came in.
        let index = pending.firstIndex { $0.at > at } ?? pending.endIndex
        pending.insert(completion, at: index)
    }
}

import CoAP

/// The Bootstrap Server side of LwM2M 1.0 §5.2: on `POST /bs?ep=<name>` it answers 2.04, then
/// sends the endpoint's configured steps one at a time (each waits for its response), and
/// finally `POST /bs` (Bootstrap-Finish).
///
/// Contract: a step answered with an error code, a timeout or a reset ends that client's
/// bootstrap with `.failed`; Bootstrap-Finish is sent only after every step succeeded. A new
/// Bootstrap-Request from the same peer restarts its session. An unknown endpoint (no
/// configuration and no default) is refused with 4.00, as the specification says.
public struct BootstrapServer: Sendable {
    public enum Event: Hashable, Sendable {
        case requested(endpoint: String, from: PeerAddress)
        case stepDone(endpoint: String, BootstrapStep, Code)
        case finished(endpoint: String)
        case failed(endpoint: String, during: String, FailureCause)
        case rejected(Code, reason: String, from: PeerAddress)
    }

    public enum Action: Hashable, Sendable {
        case send(Message, to: PeerAddress)
        case event(Event)
    }

    private struct Session: Sendable {
        var endpoint: String
        var remaining: [BootstrapStep]
        var current: BootstrapStep?   // nil while Bootstrap-Finish is outstanding
        var token: Token
    }

    /// Steps per endpoint; `defaultSteps` serves any endpoint not listed (nil: refuse those).
    public var configurations: [String: [BootstrapStep]]
    public var defaultSteps: [BootstrapStep]?
    private var sessions: [PeerAddress: Session] = [:]
    private var tokens: TokenSequence

    public init(configurations: [String: [BootstrapStep]] = [:], defaultSteps: [BootstrapStep]? = nil,
                tokenSeed: UInt32 = 0x4253_5256) {
        self.configurations = configurations
        self.defaultSteps = defaultSteps
        self.tokens = TokenSequence(seed: tokenSeed)
    }

    public static func accepts(_ request: Message) -> Bool { request.uriPath == ["bs"] }

    /// True when `response` answers a request this server sent.
    public func isAwaiting(_ token: Token) -> Bool { sessions.values.contains { $0.token == token } }

    /// A Bootstrap-Request (`POST /bs?ep=`).
    public mutating func handle(_ request: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        guard request.code == .post else {
            return reject(request, .methodNotAllowed, "\(request.code) not allowed on /bs", peer)
        }
        guard let ep = request.queryParameters["ep"] ?? nil, !ep.isEmpty else {
            return reject(request, .badRequest, "missing endpoint name (ep)", peer)
        }
        guard let steps = configurations[ep] ?? defaultSteps else {
            return reject(request, .badRequest, "no bootstrap configuration for \(ep)", peer)
        }
        var actions: [Action] = [.send(.response(to: request, .changed), to: peer),
                                 .event(.requested(endpoint: ep, from: peer))]
        sessions[peer] = Session(endpoint: ep, remaining: steps, current: nil, token: .empty)
        actions += sendNext(to: peer)
        return actions
    }

    /// A response to one of our requests; ignored (empty) when it matches none.
    public mutating func receive(response: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        guard let s = sessions[peer], s.token == response.token else { return [] }
        guard response.code.isSuccess else {
            return fail(peer, FailureCause.response(response.code))
        }
        guard let step = s.current else {
            sessions[peer] = nil
            return [.event(.finished(endpoint: s.endpoint))]
        }
        return [.event(.stepDone(endpoint: s.endpoint, step, response.code))] + sendNext(to: peer)
    }

    /// The exchange for `token` ended without a response.
    public mutating func exchangeFailed(token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        guard let peer = sessions.first(where: { $0.value.token == token })?.key else { return [] }
        return fail(peer, failure)
    }

    public var activeEndpoints: [String] { sessions.values.map(\.endpoint).sorted() }

    private mutating func sendNext(to peer: PeerAddress) -> [Action] {
        guard var s = sessions[peer] else { return [] }
        let token = tokens.next()
        s.token = token
        let message: Message
        if s.remaining.isEmpty {
            s.current = nil
            message = .request(.post, token: token, path: ["bs"])
        } else {
            let step = s.remaining.removeFirst()
            s.current = step
            message = step.request(token: token)
        }
        sessions[peer] = s
        return [.send(message, to: peer)]
    }

    private mutating func fail(_ peer: PeerAddress, _ failure: FailureCause) -> [Action] {
        guard let s = sessions.removeValue(forKey: peer) else { return [] }
        return [.event(.failed(endpoint: s.endpoint, during: s.current?.description ?? "Bootstrap-Finish", failure))]
    }

    private func reject(_ request: Message, _ code: Code, _ reason: String, _ peer: PeerAddress) -> [Action] {
        [.send(.response(to: request, code, payload: Array(reason.utf8)), to: peer),
         .event(.rejected(code, reason: reason, from: peer))]
    }
}

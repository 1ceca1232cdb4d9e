import CoAP
import DTLS
import LwM2M

/// An `LwM2MServer` that behaves like one of the note's platforms (chapter 4): it answers
/// everything the server answers and, on its own, starts what the real platform starts after a
/// device registers. Hosted on a CoAP endpoint as `LwM2MEndpointNode<PlatformMachine>`.
///
/// Contract, by profile:
/// - CT IoT and CT AEP: on Register (and on an Update while /19/0/0 is neither observed nor
///   being observed) of a client whose links name `</19/0>`, Observe /19/0/0 at once. AEP first
///   refuses a Register whose endpoint is not `urn:imei-imsi:<IMEI>-<IMSI>` with 4.03
///   Forbidden: LwM2M 1.0 §5.3.1 lists 4.03 for "the endpoint client name registration is not
///   allowed", while 4.00 is for a malformed request (a missing `ep` still gets 4.00), and the
///   module reports it as result code 403.
/// - Andlink: a bootstrap server for any endpoint handing out `workingServerURI` with binding U;
///   on Register of a client that announced /19/1, Read /19/1/0, and when that read succeeds,
///   Write `andlinkCommand` to /19/1/0 as text/plain. Send is accepted on `POST /dp`, with or
///   without `?ep=`, in SenML JSON (110) or the SDK's 11543.
/// - generic: nothing on its own.
/// Every operation it starts itself is reported as `.started` before its outcome.
public struct PlatformMachine: Sendable {
    public typealias OperationID = DeviceManagement.OperationID

    public enum Event: Hashable, Sendable {
        case server(LwM2MServer.Event)
        /// A Register this profile refused before the directory saw it.
        case refused(endpoint: String, Code, reason: String, from: PeerAddress)
        /// An operation the platform started on its own, and why.
        case started(OperationID, endpoint: String, DeviceOperation, reason: String)
    }

    public enum Action: Hashable, Sendable {
        case send(Message, to: PeerAddress)
        case event(Event)
    }

    private enum AutomaticStep: Hashable, Sendable {
        case observeData
        case readCommand
        case writeCommand
    }

    private struct Started: Hashable, Sendable {
        var step: AutomaticStep
        var endpoint: String
    }

    public let profile: PlatformProfile
    public private(set) var server: LwM2MServer
    /// What Andlink writes to /19/1/0 after its read (note 4.4.2).
    public var andlinkCommand: String
    private var automatic: [OperationID: Started] = [:]
    /// What the bootstrap server hands out by default, and the lifetime it writes.
    public let workingServerURI: String?
    private let andlinkLifetime: Int64

    public static let dataPath = LwM2MPath(19, 0, 0)
    public static let commandPath = LwM2MPath(19, 1, 0)
    public static let defaultAndlinkCommand = #"{"outletStatus":"1"}"#

    /// `workingServerURI` is what the bootstrap server hands out (`coap://host:port`); the
    /// lifetime it writes to /1/0/1 is `andlinkLifetime` seconds. Andlink always bootstraps;
    /// `bootstrap` makes any other profile a bootstrap server too (`bc260 platform --bootstrap`).
    public init(profile: PlatformProfile, workingServerURI: String? = nil, andlinkLifetime: Int64 = 300,
                andlinkCommand: String = PlatformMachine.defaultAndlinkCommand,
                management: DeviceManagement = DeviceManagement(), bootstrap: Bool = false) {
        self.profile = profile
        self.andlinkCommand = andlinkCommand
        self.andlinkLifetime = andlinkLifetime
        switch profile {
        case .andlink, _ where bootstrap:
            let uri = workingServerURI ?? "coap://\(profile.noteAddress?.description ?? "127.0.0.1:5683")"
            self.workingServerURI = uri
            let steps = BootstrapStep.serverAccount(uri: uri, lifetime: andlinkLifetime, binding: "U")
            server = LwM2MServer(bootstrap: BootstrapServer(defaultSteps: steps), management: management,
                                 acceptsSendFromUnregistered: true)
        default:
            self.workingServerURI = nil
            server = LwM2MServer(management: management)
        }
    }

    /// As a bootstrap server: hands `endpoint` the working server at `secureURI` with security
    /// mode 0 and `psk` (a client that bootstrapped over DTLS), or with nil the default account
    /// again. False when this platform bootstraps nobody.
    @discardableResult
    public mutating func handOut(to endpoint: String, secureURI: String, psk: PreSharedKey?) -> Bool {
        guard server.bootstrap != nil else { return false }
        server.bootstrap?.configurations[endpoint] = psk.map {
            BootstrapStep.serverAccount(uri: secureURI, lifetime: andlinkLifetime, binding: "U",
                                        securityMode: .preSharedKey, pskIdentity: $0.identity, psk: $0.key)
        }
        return true
    }

    /// Starts `operation` on `endpoint` for a person; nil id when no such client is registered.
    public mutating func perform(_ operation: DeviceOperation, on endpoint: String,
                                 now: Instant) -> (OperationID?, [Action]) {
        let (id, actions) = server.perform(operation, on: endpoint, now: now)
        return (id, react(actions, now: now))
    }

    /// Forgets an observation without telling the client (its next notification gets RST).
    public mutating func forgetObservation(_ id: OperationID, now: Instant) -> [Action] {
        react(server.forgetObservation(id), now: now)
    }

    /// True while the platform is about to observe, or observes, /19/0/0 on `endpoint`.
    public func isWatchingData(of endpoint: String) -> Bool {
        server.management.observations(of: endpoint).contains { $0.1 == Self.dataPath }
            || automatic.values.contains(Started(step: .observeData, endpoint: endpoint))
    }

    // MARK: - reacting

    private mutating func react(_ actions: [LwM2MServer.Action], now: Instant) -> [Action] {
        var out: [Action] = []
        for action in actions {
            switch action {
            case .send(let m, let peer):
                out.append(.send(m, to: peer))
            case .event(let e):
                out.append(.event(.server(e)))
                out += follow(e, now: now)
            }
        }
        return out
    }

    /// What the platform does on its own after `event`.
    private mutating func follow(_ event: LwM2MServer.Event, now: Instant) -> [Action] {
        switch event {
        case .registration(.registered(let r)), .registration(.reregistered(let r, _)):
            switch profile {
            case .ctIoT, .ctAEP:
                return observeData(r, now: now, reason: "after registration")
            case .andlink:
                guard announces(r, object: 19, instance: 1) else { return [] }
                return start(.read(Self.commandPath), on: r.endpoint, step: .readCommand,
                             reason: "after registration", now: now)
            case .generic:
                return []
            }
        case .registration(.updated(let r)):
            guard profile == .ctIoT || profile == .ctAEP, !isWatchingData(of: r.endpoint) else { return [] }
            return observeData(r, now: now, reason: "after update, /19/0/0 not observed")
        case .operation(.completed(let id, let endpoint, _, _)):
            let step = finish(id)
            guard step == .readCommand else { return [] }
            let text = EncodedContent(format: .textPlain, bytes: Array(andlinkCommand.utf8))
            return start(.write(Self.commandPath, text), on: endpoint, step: .writeCommand,
                         reason: "after reading /19/1/0", now: now)
        case .operation(.failed(let id, _, _, _)):
            _ = finish(id)
            return []
        default:
            return []
        }
    }

    private mutating func observeData(_ r: Registration, now: Instant, reason: String) -> [Action] {
        guard announces(r, object: 19, instance: 0) else { return [] }
        return start(.observe(Self.dataPath), on: r.endpoint, step: .observeData, reason: reason, now: now)
    }

    private mutating func start(_ operation: DeviceOperation, on endpoint: String, step: AutomaticStep,
                                reason: String, now: Instant) -> [Action] {
        let (id, actions) = server.perform(operation, on: endpoint, now: now)
        guard let id else { return [] }
        automatic[id] = Started(step: step, endpoint: endpoint)
        return [.event(.started(id, endpoint: endpoint, operation, reason: reason))] + react(actions, now: now)
    }

    private mutating func finish(_ id: OperationID) -> AutomaticStep? {
        automatic.removeValue(forKey: id)?.step
    }

    /// Whether the client's links name the instance (`</19/0>`); an object without instances
    /// (`</19>`) has nothing to read or observe yet.
    private func announces(_ r: Registration, object: UInt16, instance: UInt16) -> Bool {
        r.objectPaths.contains(LwM2MPath(object, instance))
    }

    /// AEP's endpoint check on `POST /rd?ep=`: the refusal to send, or nil to let it through.
    private func refusal(_ message: Message, from peer: PeerAddress) -> [Action]? {
        guard message.code == .post, message.uriPath == ["rd"],
              let ep = Self.query(message, "ep"), !ep.isEmpty,
              let problem = profile.endpointProblem(ep) else { return nil }
        var answer = Message(type: message.type == .confirmable ? .acknowledgement : .nonConfirmable,
                             code: .forbidden, messageID: message.messageID, token: message.token)
        answer.payload = Array(problem.utf8)
        return [.send(answer, to: peer), .event(.refused(endpoint: ep, .forbidden, reason: problem, from: peer))]
    }

    static func query(_ message: Message, _ name: String) -> String? {
        for item in message.uriQuery where item.hasPrefix(name + "=") {
            return String(item.dropFirst(name.count + 1))
        }
        return nil
    }
}

extension PlatformMachine: HostedMachine {
    public static func unpack(_ action: Action) -> HostedOutput<Event> {
        switch action {
        case .send(let m, let p): .send(m, to: p)
        case .event(let e): .event(e)
        }
    }

    public mutating func receive(_ message: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        if let refused = refusal(message, from: peer) { return refused }
        return react(server.receive(message, from: peer, now: now), now: now)
    }

    public mutating func exchangeFailed(token: Token, _ cause: FailureCause, now: Instant) -> [Action] {
        react(server.exchangeFailed(token: token, cause, now: now), now: now)
    }

    public mutating func advance(to now: Instant) -> [Action] {
        react(server.advance(to: now), now: now)
    }

    public var nextDeadline: Instant? { server.nextDeadline }

    public func isAwaiting(_ token: Token) -> Bool { server.isAwaiting(token) }
}

import CoAP

/// An LwM2M server as one sans-I/O machine: the registration directory, an optional bootstrap
/// server, Device Management towards registered clients, and the Send (`POST /dp`) endpoint.
/// It routes what arrives to the right part and gathers what they answer.
///
/// Contract: every request that arrives gets exactly one response (4.04 for paths no part
/// serves); a registration that ends (De-register, expiry, replaced) ends its client's
/// observations and pending operations; queue-mode clients get their held requests as soon as
/// they Register or Update.
public struct LwM2MServer: Sendable {
    public enum Event: Hashable, Sendable {
        case registration(RegistrationDirectory.Event)
        case bootstrap(BootstrapServer.Event)
        case operation(DeviceManagement.Event)
        /// A Send from a registered client (`endpoint` nil when the peer is not registered);
        /// `values` nil with `decodeError` set when the payload could not be decoded.
        case sendReceived(endpoint: String?, EncodedContent, values: [ReportedValue]?, decodeError: String?)
        /// A request to a path nothing here serves; answered 4.04.
        case unhandledRequest(Message, from: PeerAddress)
    }

    public enum Action: Hashable, Sendable {
        case send(Message, to: PeerAddress)
        case event(Event)
    }

    public internal(set) var directory = RegistrationDirectory()
    public internal(set) var management: DeviceManagement
    public var bootstrap: BootstrapServer?
    /// Whether an unregistered peer's Send is accepted (the Andlink flow sends `POST /dp?ep=`).
    public var acceptsSendFromUnregistered: Bool

    public init(bootstrap: BootstrapServer? = nil, management: DeviceManagement = DeviceManagement(),
                acceptsSendFromUnregistered: Bool = false) {
        self.bootstrap = bootstrap
        self.management = management
        self.acceptsSendFromUnregistered = acceptsSendFromUnregistered
    }

    public func registration(endpoint: String) -> Registration? { directory.registration(endpoint: endpoint) }

    /// Starts `operation` on the client registered as `endpoint`; a nil id and no actions when
    /// no such registration exists.
    public mutating func perform(_ operation: DeviceOperation, on endpoint: String,
                                 now: Instant) -> (DeviceManagement.OperationID?, [Action]) {
        guard let r = directory.registration(endpoint: endpoint) else { return (nil, []) }
        let (id, actions) = management.perform(operation, on: r, now: now)
        return (id, actions.map(Self.lift))
    }

    public mutating func forgetObservation(_ id: DeviceManagement.OperationID) -> [Action] {
        management.forgetObservation(id).map(Self.lift)
    }

    // MARK: - input

    public mutating func receive(_ message: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        guard message.code.isRequest else {
            guard message.code.isResponse else { return [] }
            if var bs = bootstrap, bs.isAwaiting(message.token) {
                let out = bs.receive(response: message, from: peer, now: now)
                bootstrap = bs
                return out.map(Self.lift)
            }
            return management.receive(response: message, from: peer, now: now).map(Self.lift)
        }
        if RegistrationDirectory.accepts(message) {
            let (response, events) = directory.handle(message, from: peer, now: now)
            var actions: [Action] = [.send(response, to: peer)]
            for e in events { actions += registrationChanged(e, now: now) }
            return actions
        }
        if BootstrapServer.accepts(message), var bs = bootstrap {
            let out = bs.handle(message, from: peer, now: now)
            bootstrap = bs
            return out.map(Self.lift)
        }
        if message.uriPath.first == "dp" && message.code == .post {
            return receiveSend(message, from: peer)
        }
        let reason = "nothing served at \(message.path)"
        return [.send(.response(to: message, .notFound, payload: Array(reason.utf8)), to: peer),
                .event(.unhandledRequest(message, from: peer))]
    }

    public mutating func exchangeFailed(token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        if var bs = bootstrap, bs.isAwaiting(token) {
            let out = bs.exchangeFailed(token: token, failure, now: now)
            bootstrap = bs
            return out.map(Self.lift)
        }
        return management.exchangeFailed(token: token, failure, now: now).map(Self.lift)
    }

    public var nextDeadline: Instant? { directory.nextDeadline }

    public mutating func advance(to now: Instant) -> [Action] {
        directory.advance(to: now).flatMap { registrationChanged($0, now: now) }
    }

    // MARK: - routing

    private mutating func registrationChanged(_ e: RegistrationDirectory.Event, now: Instant) -> [Action] {
        var actions: [Action] = [.event(.registration(e))]
        switch e {
        case .registered(let r), .updated(let r):
            actions += management.clientHeard(r, now: now).map(Self.lift)
        case .reregistered(let r, let old):
            actions += management.clientGone(endpoint: old.endpoint, reason: "re-registered").map(Self.lift)
            actions += management.clientHeard(r, now: now).map(Self.lift)
        case .deregistered(let r):
            actions += management.clientGone(endpoint: r.endpoint, reason: "deregistered").map(Self.lift)
        case .expired(let r):
            actions += management.clientGone(endpoint: r.endpoint, reason: "lifetime expired").map(Self.lift)
        case .rejected:
            break
        }
        return actions
    }

    private mutating func receiveSend(_ request: Message, from peer: PeerAddress) -> [Action] {
        let endpoint = directory.registrations.values.first { $0.peer == peer }?.endpoint
            ?? (acceptsSendFromUnregistered ? (request.queryParameters["ep"] ?? nil) : nil)
        guard endpoint != nil || acceptsSendFromUnregistered else {
            let reason = "Send from an unregistered peer"
            return [.send(.response(to: request, .forbidden, payload: Array(reason.utf8)), to: peer),
                    .event(.unhandledRequest(request, from: peer))]
        }
        let format = request.contentFormat.flatMap(ContentFormat.init(coapValue:)) ?? .senmlJSON
        let content = EncodedContent(format: format, bytes: request.payload)
        let values: [ReportedValue]?
        let problem: String?
        do throws(ContentError) {
            values = try ReportedValue.decode(content)
            problem = nil
        } catch {
            values = nil
            problem = error.description
        }
        // A payload this side cannot decode is still the client's data: the Andlink flow sends
        // its own JSON. It is acknowledged and handed over raw.
        return [.send(.response(to: request, .changed), to: peer),
                .event(.sendReceived(endpoint: endpoint, content, values: values, decodeError: problem))]
    }

    private static func lift(_ a: DeviceManagement.Action) -> Action {
        switch a {
        case .send(let m, let p): .send(m, to: p)
        case .event(let e): .event(.operation(e))
        }
    }

    private static func lift(_ a: BootstrapServer.Action) -> Action {
        switch a {
        case .send(let m, let p): .send(m, to: p)
        case .event(let e): .event(.bootstrap(e))
        }
    }
}

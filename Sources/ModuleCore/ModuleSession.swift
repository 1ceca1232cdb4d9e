import ATProtocol
import CoAP
import DTLS
import LwM2M

/// The real LwM2M session behind the module's AT engine: it carries out each ``SessionRequest``
/// with an `LwM2MClient` hosted on a `CoAPEndpoint` (an `LwM2MClientNode`), and reports what
/// happens as ``SessionEvent``s. Sans-I/O: datagrams in and out, time only through `now`.
///
/// Contract:
/// - Every request gets the outcomes ``SessionRequest`` lists for its action, in that order;
///   message ids in them are the real ones on the wire.
/// - Read, Observe, Write and Execute on the TE's objects (every object that is not built in)
///   are never answered from the object tree: each becomes ``SessionEvent/serverRequest(_:)``
///   carrying the request's CoAP message id and waits for `respond`. A TE slower than
///   ``Settings/separateResponseAfter`` gets an empty ACK sent for it, and its answer goes as a
///   separate response; a quicker one is piggybacked. Everything else (objects 0, 1, 3, 4, 5,
///   Discover, Write-Attributes, bootstrap) the stack answers itself.
/// - The client never updates on its own timer: the engine's automatic update is the only one.
///   Retransmission follows the `retransmit` setting (`RetransmissionPolicy.module`).
/// - A server write that changes the lifetime or binding (or a bootstrap that hands out other
///   values) reports ``SessionEvent/lifetimeChanged(_:)`` / ``SessionEvent/bindingChanged(_:)``;
///   every RST on one of the module's messages reports ``SessionEvent/resetReceived(messageID:)``.
/// - `suspend` freezes the session (no timers, incoming datagrams dropped); `resume` sends an
///   Update with the observations intact. `discard` forgets the session without a word.
/// - With security mode 0 every datagram to and from the configured server goes through DTLS
///   with its PSK_ID and PSK (``SessionConfiguration/dtlsVersion`` picks the version); the
///   first one starts the handshake, and what the client sends meanwhile waits for it. A
///   handshake that fails ends what waits on the session: `register` with result code 1 (no
///   answer) or 900 (the server refused the key). `suspend` drops the DTLS state as deep sleep
///   does; `resume` handshakes again, abbreviated from the saved session when `dtlsMode` is 1.
///   When the session ends otherwise (De-register answered or given up, `discard` on a reset,
///   a new `register`), an established DTLS session sends close_notify, after whatever the
///   client still had to send. The PSK never appears in a diagnostic.
public struct ModuleSession: Sendable {
    public struct Settings: Hashable, Sendable {
        /// Seeds each session's CoAP endpoint (message ids, tokens); the n-th session uses seed + n.
        public var seed: UInt64
        /// How long a server request waits for the TE before it is acknowledged with an empty ACK
        /// (its answer then goes separately); nil never acknowledges early.
        public var separateResponseAfter: Int64?

        public init(seed: UInt64 = 0x0BC2_60, separateResponseAfter: Int64? = 1_500) {
            self.seed = seed
            self.separateResponseAfter = separateResponseAfter
        }
    }

    public let settings: Settings
    /// The client on its endpoint while a session exists.
    public internal(set) var node: LwM2MClientNode?
    public internal(set) var isSuspended = false
    var configuration: SessionConfiguration?
    var sessionCount: UInt64 = 0
    var waits = SessionWaits()
    var events: [SessionEvent] = []
    var diagnostics: [String] = []
    /// Sent while collecting events (a refused write); leaves with the current call's datagrams.
    var pendingDatagrams: [Datagram] = []
    /// DTLS to the configured server, with security mode 0.
    public internal(set) var secure: DTLSClientChannel?
    /// Sealed datagrams of a DTLS session that ended (its close_notify), going out first with
    /// the current call's.
    var farewell: [Datagram] = []
    /// The DTLS session as it was when the module fell asleep, for `dtls_mode` 1.
    var sleepingDTLS: DTLSSavedSession?
    var securityFailureReported = false

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// What happened since the last call, in order.
    public mutating func takeEvents() -> [SessionEvent] {
        defer { events = [] }
        return events
    }

    /// Requests that could not be carried out as asked, events matching nothing: for a log pane.
    public mutating func takeDiagnostics() -> [String] {
        defer { diagnostics = [] }
        return diagnostics
    }

    // MARK: Network and time

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        guard !isSuspended, var node else { return [] }
        guard let secure else {
            let received = node.receive(datagram, now: now)
            self.node = node
            let out = followingBootstrap(received, now: now)
            collect(now: now)
            return out + secured(takePendingDatagrams(), now: now)
        }
        let (flights, plain) = secure.open(datagram, now: now)
        var out: [Datagram] = []
        for d in plain { out += node.receive(d, now: now) }
        self.node = node
        // Sealed before the events are collected: an answer that ends the session (the
        // De-register's) is still acknowledged under its keys, before the close_notify.
        let sealed = followingBootstrap(out, now: now)
        collect(now: now)
        return flights + sealed + secured(takePendingDatagrams(), now: now)
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        guard !isSuspended else { return [] }
        var flights: [Datagram] = []
        if let secure {
            flights = secure.advance(to: now)
            checkSecurity(now: now)
        }
        guard var node else { return flights + secured([], now: now) }
        let out = node.advance(to: now)
        self.node = node
        let sealed = secured(out, now: now)
        collect(now: now)
        return flights + sealed + secured(takePendingDatagrams(), now: now)
    }

    mutating func takePendingDatagrams() -> [Datagram] {
        defer { pendingDatagrams = [] }
        return pendingDatagrams
    }

    public var nextDeadline: Instant? {
        isSuspended ? nil : Instant.earliest(node?.nextDeadline, secure?.nextDeadline)
    }

    // MARK: Requests from the engine

    public mutating func perform(_ request: SessionRequest, now: Instant) -> [Datagram] {
        let out = carryOut(request, now: now)
        return secured(out + takePendingDatagrams(), now: now)
    }

    mutating func carryOut(_ request: SessionRequest, now: Instant) -> [Datagram] {
        let id = request.id
        switch request.action {
        case .register(let configuration):
            return register(configuration, id: id, now: now)
        case .update(let lifetime, let binding, _):
            return update(id: id, now: now) { client in
                guard let server = client.objects.instanceIDs(of: 1).first else { return [] }
                return client.modifyObjects(now: now) { tree in
                    if let lifetime { try? tree.setValue(.integer(lifetime), at: LwM2MPath(1, server, 1)) }
                    if let binding { try? tree.setValue(.string(binding.letters), at: LwM2MPath(1, server, 7)) }
                }
            }
        case .updateObjects(let tree):
            let owned = Set(tree.objectIDs.filter { !CustomObjectLimits.builtInObjects.contains($0) })
            return update(id: id, now: now) { client in
                client.setOwnerAnsweredObjects(owned)
                return client.replaceObjects(keepingAccountsFrom: tree, now: now)
            }
        case .resume:
            isSuspended = false
            if let configuration, configuration.server.securityMode == .preSharedKey {
                // Deep sleep lost the DTLS state: handshake again, from the saved session with dtls_mode 1.
                guard startSecurity(configuration, resuming: configuration.dtlsMode == 1 ? sleepingDTLS : nil) else {
                    // Without a channel the client's Updates and notifications would go in
                    // clear to a server that expects DTLS: the session is lost, as a failed
                    // registration's is.
                    node = nil
                    secure = nil
                    sleepingDTLS = nil
                    events.append(.outcome(id, .completed(.otherError)))
                    return []
                }
            }
            sleepingDTLS = nil
            return update(id: id, now: now) { _ in [] }
        case .deregister:
            return deregister(id: id, now: now)
        case .respond(let response):
            return respond(response, id: id, now: now)
        case .notify(let notification):
            return notify(notification, id: id, now: now)
        case .send(let data):
            return send(data, id: id, now: now)
        case .suspend:
            isSuspended = true
            sleepingDTLS = secure?.session.savedSession
            secure = nil
            return []
        case .discard:
            end(now: now)
            return []
        }
    }

    mutating func register(_ configuration: SessionConfiguration, id: SessionRequestID, now: Instant) -> [Datagram] {
        end(now: now)
        sessionCount += 1
        self.configuration = configuration
        let server = configuration.server
        let peer = PeerAddress(host: server.host, port: server.port)
        let owned = Set(configuration.objects.objectIDs.filter { !CustomObjectLimits.builtInObjects.contains($0) })
        let client = LwM2MClient(
            configuration: ClientConfiguration(
                endpoint: server.endpoint, server: configuration.bootstrap ? nil : peer,
                bootstrapServer: configuration.bootstrap ? peer : nil, bootstrapFirst: configuration.bootstrap,
                lifetime: UInt32(clamping: server.lifetime), binding: server.binding.letters,
                ownerAnsweredObjects: owned, automaticUpdates: false, sleepsInQueueMode: false),
            objects: configuration.objects, tokenSeed: UInt32(truncatingIfNeeded: settings.seed &+ sessionCount))
        let policy = RetransmissionPolicy.module(ackTimeoutSeconds: Int(clamping: configuration.ackTimeoutSeconds),
                                                 maxRetransmissions: Int(clamping: configuration.maximumRetransmissions))
        var node = LwM2MClientNode(machine: client, endpoint: CoAPEndpoint(
            configuration: CoAPEndpoint.Configuration(retransmission: policy), seed: settings.seed &+ sessionCount))
        node.separateResponseAfter = settings.separateResponseAfter
        node.recordsTransport = true
        self.node = node
        if server.securityMode == .preSharedKey, !startSecurity(configuration, resuming: nil) {
            self.node = nil
            events.append(.outcome(id, .completed(.otherError)))
            return []
        }
        waits.register = id
        waits.lifetime = server.lifetime
        // Before a bootstrap the module holds no working-server account: the binding the
        // bootstrap server hands out is news even when it is the configured one (note 4.4.2
        // prints `"binding_changed",U` with the default binding U). A lifetime is news only
        // when it differs: the same example prints no "lifetime_changed".
        waits.binding = configuration.bootstrap ? nil : server.binding
        return command(now: now) { $0.start(now: now) }
    }

    /// Runs `change` (which may send an Update itself) and makes sure an Update goes out; the
    /// request waits for its result. Without a registration in the client the result is 900.
    mutating func update(id: SessionRequestID, now: Instant,
                         _ change: (inout LwM2MClient) -> [LwM2MClient.Action]) -> [Datagram] {
        guard let client = node?.machine, client.status == .registered else {
            events.append(.outcome(id, .completed(.otherError)))
            return []
        }
        waits.updatesToSend.append(id)
        let datagrams = command(now: now) { client in
            var actions = change(&client)
            if !actions.contains(where: { if case .send(let m, _) = $0 { m.code.isRequest } else { false } }) {
                // Nothing sent yet: send the Update now, or after the one under way.
                actions += client.update(now: now)
            }
            return actions
        }
        // The engine asked for these values; they are no change by the server.
        if let client = node?.machine {
            waits.lifetime = Int64(client.lifetime)
            waits.binding = ServerConfiguration.Binding(letters: client.binding) ?? waits.binding
        }
        return datagrams
    }

    mutating func deregister(id: SessionRequestID, now: Instant) -> [Datagram] {
        guard node?.machine.status == .registered else {
            events.append(.outcome(id, .completed(.notSent)))
            end(now: now)
            return []
        }
        waits.deregister = id
        return command(now: now) { $0.deregister(now: now) }
    }

    /// Forgets the session and everything waiting on it. An established DTLS session is closed
    /// with a close_notify (see ``closeSecurity(now:)``).
    mutating func end(now: Instant) {
        closeSecurity(now: now)
        node = nil
        configuration = nil
        isSuspended = false
        waits = SessionWaits()
        secure = nil
        sleepingDTLS = nil
    }

    /// Runs an owner command on the client, then turns what happened into events.
    mutating func command(now: Instant, _ body: (inout LwM2MClient) -> [LwM2MClient.Action]) -> [Datagram] {
        // In place, as in `collect(now:)`: no copy of the endpoint's storage.
        guard let out = node?.command(now: now, body) else { return [] }
        collect(now: now)
        return out
    }
}

/// What the session waits for on the engine's behalf.
struct SessionWaits: Sendable {
    var register: SessionRequestID?
    var deregister: SessionRequestID?
    /// Updates asked for (by command, automatic, object changes, resume) whose Update has not
    /// gone out yet: the client has at most one Update in flight and sends the next after it,
    /// one Update for every request that came meanwhile.
    var updatesToSend: [SessionRequestID] = []
    /// Updates on the wire by token, with their message id and the requests they carry (none
    /// for an Update the client sent by itself, e.g. when the server executed /1/x/8).
    var updatesSent: [Token: (messageID: UInt16, ids: [SessionRequestID])] = [:]
    /// The bootstrap finished and the working server's security was taken from its account.
    var bootstrapFollowed = false
    /// Answers to server requests, by the request's message id.
    var responses: [UInt16: SessionRequestID] = [:]
    /// Server requests announced to the engine and not yet answered, by message id.
    var held: [UInt16: HeldRequest] = [:]
    /// The Accept each observed path was asked with, for the notifications.
    var observeAccept: [LwM2MPath: ContentFormat] = [:]
    /// CON notifications sent and not yet acknowledged, by their message id.
    var notificationAcks: [UInt16: SessionRequestID] = [:]
    /// CON notifications handed to the client whose message id is still to come, by token.
    var notificationsSending: [Token: SessionRequestID] = [:]
    /// CON notifications the TE did not ask for (sent NON by AT+QLANOTIFY but due their daily
    /// CON, RFC 7641 §4.5), not yet acknowledged, by message id: a timeout is still reported.
    var unaskedConfirmable: Set<UInt16> = []
    /// Sends by token: the request, whether CON, and the message id once sent.
    var sends: [Token: (id: SessionRequestID, confirmable: Bool, messageID: UInt16?)] = [:]
    /// The lifetime and binding the engine knows, to tell the server's changes from its own
    /// (no binding while a bootstrap has not handed one out).
    var lifetime: Int64 = 0
    var binding: ServerConfiguration.Binding? = .udp
}

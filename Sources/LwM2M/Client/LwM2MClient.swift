import CoAP

/// The LwM2M client as a sans-I/O state machine: Bootstrap, Register, Update, De-register
/// (LwM2M 1.0 §5.2–5.3), serving the server's requests against an `ObjectTree` (§5.4), Observe
/// and notifications under the Write-Attributes rules (§5.5), Send (1.1 §6.4.4) and queue mode.
///
/// It speaks in CoAP `Message` requests and responses; message ids, retransmission and
/// de-duplication belong to the exchange beneath, which reports back with `receive` (responses
/// and the server's requests), `exchangeFailed` (timeout, RST of a request), and for each
/// notification `notificationSent` (the message id it went out with), then
/// `notificationAcknowledged` or `notificationFailed`. Time only moves through `now`
/// arguments; `nextDeadline` says when `advance(to:)` is due.
///
/// Observe relations are kept in a CoAP `ObserverList`, keyed by (peer, token); the LwM2M
/// attribute state of each rides beside it under the same key.
///
/// Contract: every operation the owner starts ends in a success or a failure event with a
/// cause; every server request gets exactly one response; nothing traps on peer data.
public struct LwM2MClient: Sendable {
    public enum Status: Hashable, Sendable {
        case unregistered, bootstrapping, registering, registered, deregistering, deregistered
    }

    public enum Action: Hashable, Sendable {
        /// A request, a response or a notification for the exchange beneath to carry.
        case send(Message, to: PeerAddress)
        case event(ClientEvent)
    }

    enum PendingRequest: Hashable, Sendable {
        case bootstrapRequest
        case register
        case update(lifetime: UInt32?, binding: String?, links: Bool)
        case deregister
        case send
    }

    public internal(set) var configuration: ClientConfiguration
    public internal(set) var objects: ObjectTree
    public internal(set) var status: Status = .unregistered
    /// The Location-Path the server gave at Register (`["rd", "5a3f"]`).
    public internal(set) var location: [String]?
    /// The server registered with (configured, or handed out by bootstrap).
    public internal(set) var server: PeerAddress?
    public internal(set) var isAsleep = false

    var tokens: TokenSequence
    var pending: [Token: PendingRequest] = [:]
    /// What the server was last told, so an Update carries only what changed.
    var registeredLifetime: UInt32 = 0
    var registeredBinding = ""
    var linksChanged = false
    var updateAt: Instant?
    var sleepAt: Instant?
    var bootstrapDeadline: Instant?
    var updateRequestedWhileBusy = false
    /// The Observe relations served (RFC 7641 §4), and the LwM2M state of each under its key.
    var observers: ObserverList
    var observations: [ObserveRelation.Key: ClientObservation] = [:]
    var heldWhileAsleep: [(Message, PeerAddress)] = []
    /// Requests handed to the owner and not yet answered, by message id.
    var heldForOwner: [UInt16: (request: HeldRequest, message: Message)] = [:]

    public init(configuration: ClientConfiguration, objects: ObjectTree, tokenSeed: UInt32 = 0x434C_4E54) {
        self.configuration = configuration
        self.objects = objects
        self.tokens = TokenSequence(seed: tokenSeed)
        self.observers = ObserverList(configuration: configuration.observe)
    }

    /// The lifetime and binding in force: the Server object's (`/1/x/1`, `/1/x/7`) when it has
    /// them, else the configuration's.
    public var lifetime: UInt32 {
        if let id = serverInstanceID, let v = objects.value(at: LwM2MPath(1, id, 1))?.integerValue,
           let l = UInt32(exactly: v), l > 0 { return l }
        return configuration.lifetime
    }

    public var binding: String {
        if let id = serverInstanceID, let b = objects.value(at: LwM2MPath(1, id, 7))?.stringValue, !b.isEmpty {
            return b
        }
        return configuration.binding
    }

    var serverInstanceID: UInt16? { objects.instanceIDs(of: 1).first }

    // MARK: - owner commands

    /// Starts: Bootstrap when no server is known (or `bootstrapFirst`), else Register.
    public mutating func start(now: Instant) -> [Action] {
        guard status == .unregistered || status == .deregistered else { return [] }
        if let bs = configuration.bootstrapServer, configuration.bootstrapFirst || configuration.server == nil {
            return requestBootstrap(bs, now: now)
        }
        guard let server = configuration.server else {
            return [.event(.registrationFailed(.notSent))]
        }
        return register(with: server, now: now)
    }

    /// Sends an Update now (with new object links when objects were added or removed).
    public mutating func update(now: Instant) -> [Action] {
        guard status == .registered else { return [] }
        return sendUpdate(now: now)
    }

    /// The objects changed outside a server request (an instance added or removed by the
    /// owner): the next Update carries the links, and it goes out now when registered.
    public mutating func objectsChanged(now: Instant) -> [Action] {
        linksChanged = true
        return update(now: now)
    }

    public mutating func deregister(now: Instant) -> [Action] {
        guard status == .registered, let server, let location else { return [] }
        let token = tokens.next()
        pending[token] = .deregister
        status = .deregistering
        updateAt = nil
        return [.send(.request(.delete, token: token, path: location), to: server)]
    }

    /// Lets the owner change the tree (a value set from AT commands, a sensor reading, an
    /// object added) and evaluates the observations it touches; when the set of objects or
    /// instances changed, an Update with the new links follows.
    public mutating func modifyObjects(now: Instant, _ change: (inout ObjectTree) -> Void) -> [Action] {
        let before = objects
        change(&objects)
        var actions = evaluateObservations(now: now)
        if !objects.hasSameRegistrationLinks(as: before) {
            linksChanged = true
            actions += update(now: now)
        }
        return actions
    }

    // MARK: - input from the exchange beneath

    /// A message from a peer: a server request, or a response to one of ours.
    public mutating func receive(_ message: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        if message.code.isRequest {
            if isAsleep { return [.event(.droppedWhileAsleep(message))] }
            return serve(message, from: peer, now: now)
        }
        guard message.code.isResponse, let request = pending.removeValue(forKey: message.token) else { return [] }
        return handleResponse(message, to: request, from: peer, now: now)
    }

    /// The request carrying `token` ended with no response (retransmissions exhausted, or RST).
    /// Notifications report their fate through `notificationFailed` instead.
    public mutating func exchangeFailed(token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        guard let request = pending.removeValue(forKey: token) else { return [] }
        return fail(request, token: token, failure, now: now)
    }

    // MARK: - time

    public var nextDeadline: Instant? {
        var earliest = Instant.earliest(updateAt, Instant.earliest(sleepAt, bootstrapDeadline))
        for o in observations.values where !o.ownerDriven { earliest = Instant.earliest(earliest, o.state.nextWake) }
        return earliest
    }

    public mutating func advance(to now: Instant) -> [Action] {
        var actions: [Action] = []
        if let t = bootstrapDeadline, t <= now {
            bootstrapDeadline = nil
            pending = pending.filter { $0.value != .bootstrapRequest }
            status = .unregistered
            actions.append(.event(.bootstrapFailed(.timeout)))
        }
        if let t = sleepAt, t <= now {
            sleepAt = nil
            isAsleep = true
            actions.append(.event(.sleeping))
        }
        if let t = updateAt, t <= now, status == .registered {
            updateAt = nil
            actions += sendUpdate(now: now)
        }
        actions += evaluateObservations(now: now)
        return actions
    }

    // MARK: - registration

    mutating func register(with server: PeerAddress, now: Instant) -> [Action] {
        self.server = server
        status = .registering
        let token = tokens.next()
        pending[token] = .register
        let query = ["ep=\(configuration.endpoint)", "lt=\(lifetime)", "lwm2m=\(configuration.lwm2mVersion)",
                     "b=\(binding)"]
        let payload = objects.registrationPayload(rootType: configuration.rootTypeLink)
        return [.send(.request(.post, token: token, path: ["rd"], query: query,
                               contentFormat: UInt32(ContentFormat.linkFormat.rawValue), payload: payload),
                      to: server)]
    }

    mutating func sendUpdate(now: Instant) -> [Action] {
        guard let server, let location else { return [] }
        if pending.values.contains(where: { if case .update = $0 { true } else { false } }) {
            updateRequestedWhileBusy = true
            return []
        }
        var actions: [Action] = []
        if isAsleep {
            isAsleep = false
            actions.append(.event(.wakingUp))
        }
        let lt = lifetime == registeredLifetime ? nil : lifetime
        let b = binding == registeredBinding ? nil : binding
        var query: [String] = []
        if let lt { query.append("lt=\(lt)") }
        if let b { query.append("b=\(b)") }
        let payload = linksChanged ? objects.registrationPayload(rootType: configuration.rootTypeLink) : []
        let token = tokens.next()
        pending[token] = .update(lifetime: lt, binding: b, links: linksChanged)
        updateAt = nil
        actions.append(.send(.request(.post, token: token, path: location, query: query,
                                      contentFormat: payload.isEmpty ? nil : UInt32(ContentFormat.linkFormat.rawValue),
                                      payload: payload), to: server))
        return actions
    }

    /// After a successful Register or Update: the next Update, and the queue-mode awake window.
    mutating func scheduleAfterContact(now: Instant) {
        updateAt = configuration.automaticUpdates ? now + configuration.updateInterval.delay(forLifetime: lifetime) : nil
        sleepAt = binding.contains("Q") && configuration.sleepsInQueueMode ? now + configuration.awakeMilliseconds : nil
    }

    mutating func handleResponse(_ response: Message, to request: PendingRequest, from peer: PeerAddress,
                                 now: Instant) -> [Action] {
        guard response.code.isSuccess else { return fail(request, token: response.token, .response(response.code), now: now) }
        switch request {
        case .bootstrapRequest:
            // 2.04: the bootstrap server will now write; wait for its Bootstrap-Finish.
            return []
        case .register:
            let path = response.locationPath
            guard !path.isEmpty else { return fail(request, token: response.token, .malformedResponse("no Location-Path"), now: now) }
            location = path
            status = .registered
            registeredLifetime = lifetime
            registeredBinding = binding
            linksChanged = false
            isAsleep = false
            scheduleAfterContact(now: now)
            return [.event(.registered(location: path))] + flushHeld(now: now)
        case .update(let lt, let b, let links):
            if let lt { registeredLifetime = lt }
            if let b { registeredBinding = b }
            if links { linksChanged = false }
            scheduleAfterContact(now: now)
            var actions: [Action] = [.event(.updated(token: response.token))]
            actions += flushHeld(now: now)
            if updateRequestedWhileBusy {
                updateRequestedWhileBusy = false
                actions += sendUpdate(now: now)
            }
            return actions
        case .deregister:
            return finishDeregistration()
        case .send:
            return [.event(.sendCompleted(token: response.token))]
        }
    }

    mutating func fail(_ request: PendingRequest, token: Token, _ failure: FailureCause, now: Instant) -> [Action] {
        switch request {
        case .bootstrapRequest:
            bootstrapDeadline = nil
            status = .unregistered
            return [.event(.bootstrapFailed(failure))]
        case .register:
            status = .unregistered
            return [.event(.registrationFailed(failure))]
        case .update:
            updateRequestedWhileBusy = false
            if failure == .response(.notFound) || failure == .response(.badRequest) {
                status = .unregistered
                location = nil
                updateAt = nil
                sleepAt = nil
                return [.event(.updateFailed(failure, token: token)), .event(.registrationLost)]
            }
            // Keep the registration and try again after another interval.
            scheduleAfterContact(now: now)
            return [.event(.updateFailed(failure, token: token))]
        case .deregister:
            status = .registered
            scheduleAfterContact(now: now)
            return [.event(.deregistrationFailed(failure))]
        case .send:
            return [.event(.sendFailed(token: token, failure))]
        }
    }

    mutating func finishDeregistration() -> [Action] {
        status = .deregistered
        location = nil
        updateAt = nil
        sleepAt = nil
        isAsleep = false
        heldWhileAsleep = []
        observations = [:]
        observers = ObserverList(configuration: configuration.observe)
        heldForOwner = [:]
        return [.event(.deregistered)]
    }

    /// What waited while asleep goes out once the server has heard us: held Sends, and one
    /// notification (with the value current now) for each observation that fell due.
    mutating func flushHeld(now: Instant) -> [Action] {
        let held = heldWhileAsleep
        heldWhileAsleep = []
        var actions = held.map { Action.send($0.0, to: $0.1) }
        for key in observationKeys where observations[key]?.owed == true {
            observations[key]?.owed = false
            actions += notify(key, now: now)
        }
        return actions
    }
}

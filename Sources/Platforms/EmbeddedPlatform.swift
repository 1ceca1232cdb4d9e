import CoAP
import DTLS
import LwM2M

/// One of the note's platforms as a `DatagramNode`: a `PlatformMachine` on a CoAP endpoint,
/// with a log a person reads. A runtime hosts it on a UDP socket (the standalone `bc260
/// platform`) or an `EmbeddedNetwork` hosts it in-process at the note's address.
///
/// Contract: every event of the machine, whatever started it (a datagram, a timer, a person's
/// operation), is in the log by the time the call that caused it returns, stamped with that
/// call's `now`. Nothing here reads a clock.
public struct EmbeddedPlatform: DatagramNode, Sendable {
    public typealias OperationID = DeviceManagement.OperationID

    public let profile: PlatformProfile
    /// Where the platform is reached; Andlink's bootstrap hands out `coap://<address>`.
    public let address: PeerAddress
    public internal(set) var node: LwM2MEndpointNode<PlatformMachine>
    public internal(set) var log: PlatformLog
    /// DTLS with pre-shared keys on ``secureAddress``, from the first datagram there (nil before,
    /// or when OpenSSL could not set it up).
    public internal(set) var security: DTLSServer?
    /// The keys accepted on ``secureAddress``, as provisioned.
    public internal(set) var keys: PreSharedKeyStore
    /// Where DTLS is spoken: the CoAP port + 1 (5684 beside 5683), unless given.
    public let secureAddress: PeerAddress
    /// Sealed datagrams for clients on the secure port, until ``takeSecureDatagrams()``.
    var secureOutbox: [Datagram] = []

    /// `address` defaults to the note's (127.0.0.1:5683 for generic). Andlink's bootstrap hands
    /// out `andlinkServerURI`, by default `coap://<address>` (give it when bound to 0.0.0.0).
    /// `seed` feeds the CoAP endpoint's message ids and tokens.
    public init(profile: PlatformProfile, address: PeerAddress? = nil, seed: UInt64 = 0x504C_4154,
                coap: CoAPEndpoint.Configuration = CoAPEndpoint.Configuration(),
                andlinkServerURI: String? = nil, andlinkLifetime: Int64 = 300, logCapacity: Int = 5_000,
                bootstrap: Bool = false, keys: [PreSharedKey] = [], secureAddress: PeerAddress? = nil) {
        self.profile = profile
        let address = address ?? profile.noteAddress ?? PeerAddress(host: "127.0.0.1", port: 5683)
        self.address = address
        self.secureAddress = secureAddress ?? PeerAddress(host: address.host, port: address.port &+ 1)
        let machine = PlatformMachine(profile: profile, workingServerURI: andlinkServerURI ?? "coap://\(address)",
                                      andlinkLifetime: andlinkLifetime,
                                      management: DeviceManagement(tokenSeed: UInt32(truncatingIfNeeded: seed)),
                                      bootstrap: bootstrap)
        node = LwM2MEndpointNode(machine: machine, endpoint: CoAPEndpoint(configuration: coap, seed: seed))
        log = PlatformLog(capacity: logCapacity)
        self.keys = PreSharedKeyStore(keys)
    }

    public var machine: PlatformMachine { node.machine }
    public var server: LwM2MServer { node.machine.server }

    /// Registered clients in the order they registered; `list` numbers them from 1.
    public var registrations: [Registration] {
        server.directory.registrations.values.sorted {
            (Int($0.id) ?? .max, $0.id) < (Int($1.id) ?? .max, $1.id)
        }
    }

    // MARK: DatagramNode

    /// A datagram on the CoAP port. What goes to a client speaking DTLS lands in
    /// ``takeSecureDatagrams()``; the rest is returned.
    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        leaveSecurity(datagram.peer, now: now)
        handOutSecurely(datagram, secure: false, now: now)
        let out = node.receive(datagram, now: now)
        drainEvents(now: now)
        return split(out, now: now)
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        advanceSecurity(to: now)
        let out = node.advance(to: now)
        drainEvents(now: now)
        return split(out, now: now)
    }

    public var nextDeadline: Instant? { Instant.earliest(node.nextDeadline, security?.nextDeadline) }

    // MARK: operations

    /// Starts `operation` on the client registered as `endpoint`; nil id (and nothing to send)
    /// when there is none.
    public mutating func perform(_ operation: DeviceOperation, on endpoint: String,
                                 now: Instant) -> (OperationID?, [Datagram]) {
        let (id, out) = node.command(now: now) { $0.perform(operation, on: endpoint, now: now) }
        drainEvents(now: now)
        return (id, split(out, now: now))
    }

    /// Downlink data the CT way: a Write of `bytes` to /19/1/0. /19/1/0 is a multiple resource,
    /// so the bytes go as TLV resource instance 0 (`format: .opaque` sends them bare instead);
    /// the module reports either as a `"write"` URC of type 2 (hex).
    public mutating func sendDownlink(_ bytes: [UInt8], to endpoint: String, format: ContentFormat = .tlv,
                                      now: Instant) -> (OperationID?, [Datagram]) {
        let path = PlatformMachine.commandPath
        let content = format == .tlv ? PlatformCommand.binaryContent(bytes, at: path)
            : EncodedContent(format: format, bytes: bytes)
        return perform(.write(path, content), on: endpoint, now: now)
    }

    /// Forgets an observation without telling the client; its next notification gets RST.
    public mutating func forgetObservation(_ id: OperationID, now: Instant) -> [Datagram] {
        let out = node.command(now: now) { $0.forgetObservation(id, now: now) }
        drainEvents(now: now)
        return split(out, now: now)
    }

    // MARK: log

    /// Log lines after `sequence` without consuming them (for a read-only observer).
    public func lines(after sequence: Int?) -> [PlatformLine] { log.lines(after: sequence) }

    /// Log lines not taken before.
    public mutating func takeLines() -> [PlatformLine] { log.take() }

    /// Whether ``takeLines()`` would return lines (asked without changing anything).
    public var hasUntakenLines: Bool { log.hasUntakenLines }

    /// Adds a line of the owner's (a console's echo of what it did).
    public mutating func note(_ text: String, now: Instant) { log.append(text, at: now) }

    mutating func drainEvents(now: Instant) {
        for (peer, reason) in node.takeDropped() { log.append("dropped datagram from \(peer): \(reason)", at: now) }
        let events = node.takeEvents()
        guard !events.isEmpty else { return }
        let registered = Set(server.directory.registrations.values.map(\.endpoint))
        for e in events { log.record(e, at: now, registered: registered) }
    }
}

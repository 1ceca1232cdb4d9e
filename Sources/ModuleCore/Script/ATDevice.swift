import CoAP

/// The thing behind an AT link, as a script run (`bc260 run`) drives it: bytes typed in,
/// bytes answered, time moved on, and datagrams for the owner to carry.
///
/// Contract (the same sans-I/O rules as ``EmulatedModule``): time moves only through the `now`
/// arguments; ``advance(to:)`` is called when ``nextDeadline`` comes (a late call loses nothing);
/// every call returns what to write to the terminal, the datagrams to send, and the state to
/// save. The owner sends each datagram to its `peer` and feeds datagrams that arrive through
/// ``receive(datagram:now:)`` with the sender as `peer` (the address as the device sees it).
///
/// Platforms' `EmulatorATDevice` (the module on its LwM2M session, with the note's platforms
/// in-process) conforms; `bc260 run` plays scripts against it.
public protocol ATDevice {
    /// Powers the device on (the `RDY` banner).
    mutating func powerOn(now: Instant) -> ATDeviceOutput
    /// Bytes from the terminal.
    mutating func receive(bytes: [UInt8], now: Instant) -> ATDeviceOutput
    /// A datagram from the network.
    mutating func receive(datagram: Datagram, now: Instant) -> ATDeviceOutput
    /// Runs what is due at `now`.
    mutating func advance(to now: Instant) -> ATDeviceOutput
    /// When ``advance(to:)`` next has something to do; nil when nothing is scheduled.
    var nextDeadline: Instant? { get }
}

/// What one call into an ``ATDevice`` produced.
public struct ATDeviceOutput: Hashable, Sendable {
    /// Bytes for the terminal: echo, `\r\n`-framed responses and URCs.
    public var bytes: [UInt8] = []
    /// Datagrams for the network, in order.
    public var datagrams: [Datagram] = []
    /// The saved state changed: write it before the bytes go out (the last value wins).
    public var stateToSave: ModuleState?
    /// For a log, never for the terminal.
    public var diagnostics: [String] = []

    public init(bytes: [UInt8] = [], datagrams: [Datagram] = [], stateToSave: ModuleState? = nil, diagnostics: [String] = []) {
        self.bytes = bytes
        self.datagrams = datagrams
        self.stateToSave = stateToSave
        self.diagnostics = diagnostics
    }
}
